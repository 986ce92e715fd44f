using System.Runtime.InteropServices;

namespace PhysMod.Realtime.Models;

/// <summary>A voice that plays a trained field model: one output sample per model step, read at a pickup position on the grid
/// in physical units.</summary>
/// <remarks>
/// The model rolls the field out from x_0 = x_init / s (per-channel normalisation s); sample k is
/// <code>
///   y_k = s_c · ((1 − f) x_k[j, c] + f x_k[j + 1, c]),   j + f = p (W − 1)
/// </code>
/// for the pickup position p ∈ [0, 1] along the grid and channel c (0: displacement). Frames are rendered ahead in fixed
/// blocks of <see cref="IFrameModel.MaxFrames"/>, so the output does not depend on how the caller splits it into
/// <see cref="Process"/> calls. <see cref="SetPickup"/> and <see cref="SetInitialState"/> take effect at the start of the next
/// <see cref="Process"/> or <see cref="ProcessFrames"/> call; call them from the thread that calls Process (no locks).
/// Nothing is allocated after construction.
/// </remarks>
public sealed class ModelVoice : IVoice
{
    private readonly IFrameModel _model;
    private readonly float[] _scale;            // (C)
    private readonly float[] _constructedInitial, _initial, _pendingInitial, _normalised;   // (W·C) each
    private readonly float[] _frames;           // (MaxFrames, FrameStride)
    private readonly double _constructedPickup;
    private readonly int _channel, _frameSize;
    private double _pendingPickup;
    private bool _pickupPending, _initialPending;
    private int _index;
    private float _left, _right;
    private int _next, _available;

    /// <summary>Creates the voice and starts the rollout from <paramref name="initialFrame"/>.</summary>
    /// <param name="model">The frame generator (owned by the voice from now on).</param>
    /// <param name="initialFrame">x_init in physical units, (W, C) flattened.</param>
    /// <param name="channelScales">The run's normalisation divisors s_c (C).</param>
    /// <param name="sampleRate">Frame rate of the model (Hz): one model step per output sample.</param>
    /// <param name="pickup">Pickup position p ∈ [0, 1] along the grid (0: first grid point, 1: last).</param>
    /// <param name="channel">Channel read by <see cref="Process"/> (0: displacement).</param>
    public ModelVoice(IFrameModel model, ReadOnlySpan<float> initialFrame, IReadOnlyList<double> channelScales, double sampleRate,
        double pickup, int channel = 0)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(channelScales);
        _model = model;
        _frameSize = checked(model.GridPoints * model.Channels);
        if (channelScales.Count != model.Channels) throw new ArgumentException($"{channelScales.Count} channel scales for {model.Channels} channels", nameof(channelScales));
        if (!(sampleRate > 0) || double.IsInfinity(sampleRate)) throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, "must be a finite rate > 0 Hz");
        if (channel < 0 || channel >= model.Channels) throw new ArgumentOutOfRangeException(nameof(channel), channel, $"must be in 0 … {model.Channels - 1}");
        if (model.GridPoints < 2) throw new ArgumentException("a pickup needs a grid of at least 2 points", nameof(model));
        CheckPickup(pickup);
        _scale = channelScales.Select(s => (float)s).ToArray();
        foreach (float s in _scale)
            if (!(s > 0) || float.IsInfinity(s)) throw new ArgumentException($"channel scale {s} must be finite and > 0", nameof(channelScales));
        CheckFrame(initialFrame, nameof(initialFrame));
        SampleRate = sampleRate;
        _channel = channel;
        _constructedInitial = initialFrame.ToArray();
        _initial = new float[_frameSize];
        _pendingInitial = new float[_frameSize];
        _normalised = new float[_frameSize];
        _frames = new float[model.MaxFrames * model.FrameStride];
        _constructedPickup = pickup;
        Reset();
    }

    /// <inheritdoc/>
    public double SampleRate { get; }

    /// <summary>The frame generator.</summary>
    public IFrameModel Model => _model;

    /// <summary>W.</summary>
    public int GridPoints => _model.GridPoints;

    /// <summary>C.</summary>
    public int Channels => _model.Channels;

    /// <summary>Values per frame (W·C) written by <see cref="ProcessFrames"/>.</summary>
    public int FrameSize => _frameSize;

    /// <summary>The pickup position p ∈ [0, 1] in use.</summary>
    public double Pickup { get; private set; }

    /// <summary>Model steps delivered since the last start (Reset or new initial state).</summary>
    public long Position { get; private set; }

    /// <summary>Moves the pickup to p ∈ [0, 1] along the grid from the next block on.</summary>
    public void SetPickup(double pickup)
    {
        CheckPickup(pickup);
        _pendingPickup = pickup;
        _pickupPending = true;
    }

    /// <summary>Restarts the rollout from a new initial frame (physical units, (W, C) flattened) at the next block.</summary>
    public void SetInitialState(ReadOnlySpan<float> frame)
    {
        CheckFrame(frame, nameof(frame));
        frame.CopyTo(_pendingInitial);
        _initialPending = true;
    }

    /// <inheritdoc/>
    public void Process(Span<float> output)
    {
        ApplyPending();
        int written = 0, stride = _model.FrameStride;
        ref float frames = ref MemoryMarshal.GetArrayDataReference(_frames);
        while (written < output.Length)
        {
            if (_next == _available) Fill();
            int run = Math.Min(output.Length - written, _available - _next);
            int offset = _next * stride + _index;
            for (int i = 0; i < run; i++, offset += stride)
                output[written + i] = _left * System.Runtime.CompilerServices.Unsafe.Add(ref frames, offset)
                                      + _right * System.Runtime.CompilerServices.Unsafe.Add(ref frames, offset + _model.Channels);
            _next += run;
            written += run;
        }
        Position += output.Length;
    }

    /// <summary>Writes the next frames in physical units ((W, C) flattened each) to <paramref name="frames"/>, whose length must
    /// be a multiple of <see cref="FrameSize"/>; advances the same stream as <see cref="Process"/>.</summary>
    public void ProcessFrames(Span<float> frames)
    {
        if (frames.Length % _frameSize != 0) throw new ArgumentException($"frames holds {frames.Length} floats, not a multiple of W·C = {_frameSize}", nameof(frames));
        ApplyPending();
        int count = frames.Length / _frameSize, stride = _model.FrameStride, channels = _model.Channels;
        for (int f = 0; f < count; f++)
        {
            if (_next == _available) Fill();
            var source = _frames.AsSpan(_next * stride, _frameSize);
            var target = frames.Slice(f * _frameSize, _frameSize);
            for (int i = 0; i < _frameSize; i++) target[i] = source[i] * _scale[i % channels];
            _next++;
        }
        Position += count;
    }

    /// <inheritdoc/>
    public void Reset()
    {
        _constructedInitial.CopyTo(_initial, 0);
        _pickupPending = _initialPending = false;
        UsePickup(_constructedPickup);
        Restart();
    }

    private void ApplyPending()
    {
        if (_pickupPending)
        {
            _pickupPending = false;
            UsePickup(_pendingPickup);
        }
        if (_initialPending)
        {
            _initialPending = false;
            _pendingInitial.CopyTo(_initial, 0);
            Restart();
        }
    }

    private void Restart()
    {
        int channels = _model.Channels;
        for (int i = 0; i < _frameSize; i++) _normalised[i] = _initial[i] / _scale[i % channels];
        _model.Start(_normalised);
        _next = _available = 0;
        Position = 0;
    }

    private void Fill()
    {
        _model.Render(_frames, _model.MaxFrames);
        _available = _model.MaxFrames;
        _next = 0;
    }

    private void UsePickup(double pickup)
    {
        double position = pickup * (_model.GridPoints - 1);
        int j = Math.Min((int)Math.Floor(position), _model.GridPoints - 2);
        double fraction = position - j;
        float scale = _scale[_channel];
        _index = j * _model.Channels + _channel;
        _left = (float)((1 - fraction) * scale);
        _right = (float)(fraction * scale);
        Pickup = pickup;
    }

    private void CheckFrame(ReadOnlySpan<float> frame, string name)
    {
        if (frame.Length != _frameSize) throw new ArgumentException($"initial frame has {frame.Length} values, not W·C = {_frameSize}", name);
        foreach (float v in frame)
            if (!float.IsFinite(v)) throw new ArgumentException("initial frame holds NaN or infinite values", name);
    }

    private static void CheckPickup(double pickup)
    {
        if (!(pickup >= 0 && pickup <= 1)) throw new ArgumentOutOfRangeException(nameof(pickup), pickup, "pickup position must be in [0, 1] along the grid");
    }
}
