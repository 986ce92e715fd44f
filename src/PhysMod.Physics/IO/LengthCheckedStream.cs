namespace PhysMod.Physics.IO;

/// <summary>A write-only pass-through stream that fails as soon as more than an expected number of bytes is written.</summary>
/// <remarks>Guards the tensor data written by a caller's callback: a tensor whose bytes do not match its header
/// entry would make every later offset wrong, so the writer checks each tensor's byte count exactly.</remarks>
internal sealed class LengthCheckedStream(Stream inner, long expectedLength, string tensorName) : Stream
{
    private long written;

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => written;

    public override long Position
    {
        get => written;
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (written + buffer.Length > expectedLength)
        {
            throw new InvalidOperationException(
                $"tensor '{tensorName}': the data callback wrote more than the {expectedLength} bytes its dtype and shape need");
        }
        inner.Write(buffer);
        written += buffer.Length;
    }

    public override void WriteByte(byte value) => Write([value]);

    /// <summary>Throws unless exactly the expected number of bytes was written.</summary>
    public void EnsureComplete()
    {
        if (written != expectedLength)
        {
            throw new InvalidOperationException(
                $"tensor '{tensorName}': the data callback wrote {written} bytes but its dtype and shape need {expectedLength}");
        }
    }

    public override void Flush() => inner.Flush();
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
