using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PhysMod.Learning.Ssm;

/// <summary>A linear recurrent unit (Orvieto et al. 2023): a diagonal complex linear recurrence between real input and output
/// projections, usable over a sequence or as an expansion of one initial frame into a trajectory (spec §7.2).</summary>
/// <remarks>
/// With model size D and state size H:
/// λ = exp(−e^ν + i e^θ) (H), B̄ = (B_re + i B_im)⊙e^{γ_log} (H, D), C = C_re + i C_im (D, H).
/// <para>Sequence mode, input u_k (D): h_k = λ⊙h_{k−1} + B̄u_k (h_{−1} = 0), y_k = Re(C h_k) + D⊙u_k (the D term only
/// when the layer has a feedthrough). <see cref="LruScan"/> selects how the recurrence is evaluated.</para>
/// <para>Initial-condition mode, frame x_0 (D): h_0 = B̄x_0, h_k = λ^k h_0, y_k = Re(C h_k) for k = 0 … n−1, no D term.</para>
/// Powers are always exp(k·log λ) with k ≥ 0. Parameters are real (re/im kept apart) so that a state dict can be written as
/// safetensors; complex tensors appear only inside <c>forward</c>. Complex states use the interleaved layout
/// [re₀, im₀, re₁, im₁, …] so that projections are single real matmuls and <c>view_as_complex</c> is free.
/// </remarks>
public sealed class LruLayer : nn.Module<Tensor, Tensor>
{
    // Field names equal the registered names: TorchSharp's Module.to(...) re-binds parameter fields by name.
    private Parameter nu_log;
    private Parameter theta_log;
    private Parameter gamma_log;
    private Parameter B_re;
    private Parameter B_im;
    private Parameter C_re;
    private Parameter C_im;
    private Parameter? D;

    /// <summary>Creates the layer with ring-initialised eigenvalues and random projections drawn from <paramref name="generator"/>.</summary>
    /// <param name="name">Module name.</param>
    /// <param name="modelSize">D: input and output features per time step.</param>
    /// <param name="hiddenSize">H: complex state size.</param>
    /// <param name="rMin">Smallest |λ| at initialisation.</param>
    /// <param name="rMax">Largest |λ| at initialisation.</param>
    /// <param name="maxPhase">Largest arg λ at initialisation (radians per step).</param>
    /// <param name="feedthrough">Whether the layer has the skip term D⊙u (not used by an expansion layer).</param>
    /// <param name="scan">How sequence mode is evaluated.</param>
    /// <param name="generator">Source of the initial values.</param>
    /// <param name="dtype">float32 or float64 (float64 for gradient checks).</param>
    public LruLayer(string name, int modelSize, int hiddenSize, double rMin, double rMax, double maxPhase, bool feedthrough,
        LruScan scan, Generator generator, ScalarType dtype = ScalarType.Float32) : base(name)
    {
        if (modelSize < 1 || hiddenSize < 1) throw new ArgumentOutOfRangeException(nameof(modelSize), "model and hidden sizes must be ≥ 1");
        if (dtype is not (ScalarType.Float32 or ScalarType.Float64)) throw new ArgumentException($"dtype {dtype}: allowed are float32, float64", nameof(dtype));
        ModelSize = modelSize;
        HiddenSize = hiddenSize;
        Scan = scan;

        using (no_grad())
        {
            var nu = LruInit.NuLog(hiddenSize, rMin, rMax, generator);                                  // (H)
            var theta = LruInit.ThetaLog(hiddenSize, maxPhase, generator);                             // (H)
            var gamma = LruInit.GammaLog(nu);                                                          // (H)
            double inputScale = 1.0 / Math.Sqrt(2.0 * modelSize), outputScale = 1.0 / Math.Sqrt(hiddenSize);
            nu_log = new Parameter(nu.to(dtype));
            theta_log = new Parameter(theta.to(dtype));
            gamma_log = new Parameter(gamma.to(dtype));
            B_re = new Parameter(randn(hiddenSize, modelSize, dtype: float64, generator: generator).mul_(inputScale).to(dtype));
            B_im = new Parameter(randn(hiddenSize, modelSize, dtype: float64, generator: generator).mul_(inputScale).to(dtype));
            C_re = new Parameter(randn(modelSize, hiddenSize, dtype: float64, generator: generator).mul_(outputScale).to(dtype));
            C_im = new Parameter(randn(modelSize, hiddenSize, dtype: float64, generator: generator).mul_(outputScale).to(dtype));
            D = feedthrough ? new Parameter(randn(modelSize, dtype: float64, generator: generator).to(dtype)) : null;
            nu.Dispose(); theta.Dispose(); gamma.Dispose();
        }
        register_parameter(nameof(nu_log), nu_log);
        register_parameter(nameof(theta_log), theta_log);
        register_parameter(nameof(gamma_log), gamma_log);
        register_parameter(nameof(B_re), B_re);
        register_parameter(nameof(B_im), B_im);
        register_parameter(nameof(C_re), C_re);
        register_parameter(nameof(C_im), C_im);
        if (D is not null) register_parameter(nameof(D), D);
    }

    /// <summary>D: features per time step.</summary>
    public int ModelSize { get; }

    /// <summary>H: complex state size.</summary>
    public int HiddenSize { get; }

    /// <summary>Whether sequence mode adds D⊙u.</summary>
    public bool HasFeedthrough => D is not null;

    /// <summary>How <see cref="forward"/> evaluates sequence mode.</summary>
    public LruScan Scan { get; set; }

    /// <summary>log λ = −e^ν + i e^θ, complex (H).</summary>
    public Tensor LogLambda() => complex(-exp(nu_log), exp(theta_log));

    /// <summary>Overwrites the layer's eigenvalues and projections so that B̄ = <paramref name="input"/> and C =
    /// <paramref name="output"/>, with γ_log the usual log √(1 − |λ|²) and B = B̄ / e^γ.</summary>
    /// <param name="logModulus">ln|λ| (H), each &lt; 0.</param>
    /// <param name="phase">arg λ (H), each &gt; 0.</param>
    /// <param name="input">B̄ (H, D) complex128.</param>
    /// <param name="output">C (D, H) complex128.</param>
    public void SetSpectrum(double[] logModulus, double[] phase, Tensor input, Tensor output)
    {
        if (logModulus.Length != HiddenSize || phase.Length != HiddenSize || logModulus.Any(v => !(v < 0)) || phase.Any(v => !(v > 0)))
            throw new ArgumentException($"need {HiddenSize} eigenvalues with ln|λ| < 0 and arg λ > 0");
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var nu = tensor(logModulus.Select(v => Math.Log(-v)).ToArray());                              // (H)
        var gamma = LruInit.GammaLog(nu);                                                              // (H)
        var unscaled = input / exp(gamma).unsqueeze(1);                                                // (H, D) complex
        nu_log.copy_(nu);
        theta_log.copy_(tensor(phase.Select(v => Math.Log(v)).ToArray()));
        gamma_log.copy_(gamma);
        B_re.copy_(real(unscaled));
        B_im.copy_(imag(unscaled));
        C_re.copy_(real(output));
        C_im.copy_(imag(output));
    }

    /// <summary>λ_j as damped sinusoids (ln|λ| = −e^ν, arg = e^θ unwrapped), labelled with <paramref name="group"/>.</summary>
    public IReadOnlyList<Models.DiscreteEigenvalue> Eigenvalues(string group)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        double[] logModulus = (-exp(nu_log)).to(ScalarType.Float64).data<double>().ToArray();
        double[] phase = exp(theta_log).to(ScalarType.Float64).data<double>().ToArray();
        return Enumerable.Range(0, logModulus.Length).Select(j => new Models.DiscreteEigenvalue(j, logModulus[j], phase[j], group)).ToArray();
    }

    /// <summary>λ, complex (H).</summary>
    public Tensor Lambda() => exp(LogLambda());

    /// <summary>B̄ = (B_re + i B_im)⊙e^{γ_log}, complex (H, D).</summary>
    public Tensor InputMatrix()
    {
        var gain = exp(gamma_log).unsqueeze(1);                                                        // (H, 1)
        return complex(B_re * gain, B_im * gain);
    }

    /// <summary>Sequence mode with the layer's <see cref="Scan"/>: u (B, T, D) → y (B, T, D).</summary>
    public override Tensor forward(Tensor input) => Sequence(input, Scan);

    /// <summary>Sequence mode: u (B, T, D) → y (B, T, D), evaluated with <paramref name="scan"/>.</summary>
    public Tensor Sequence(Tensor input, LruScan scan)
    {
        CheckFeatures(input, 3, "u");
        if (scan == LruScan.Convolution) return Convolve(input);
        var drive = Project(input);                                                                   // (B, T, H) complex
        var state = scan switch
        {
            LruScan.Parallel => AssociativeScan(LogLambda(), drive),
            LruScan.Recurrence => Recur(Lambda(), drive),
            LruScan.Fused => FusedRecurrence(Lambda(), drive),
            _ => throw new ArgumentOutOfRangeException(nameof(scan), scan, "unknown scan"),
        };                                                                                             // (B, T, H) complex
        var output = Readout(state);                                                                   // (B, T, D)
        return D is null ? output : output + D * input;
    }

    /// <summary>Initial-condition mode: x0 (B, D) → y (B, steps, D) with y_k = Re(C λ^k B̄ x0).</summary>
    /// <remarks>With <paramref name="phaseEnergy"/> A (H, H) the arguments depend on the initial state's energies
    /// e = |B̄ x0|²: arg λ_j(x0) = e^{θ_j} (1 + (A e)_j), so y_k = Re(C λ(x0)^k B̄ x0).</remarks>
    public Tensor Expand(Tensor initial, int steps, Tensor? phaseEnergy = null)
    {
        CheckFeatures(initial, 2, "x0");
        if (steps < 1) throw new ArgumentOutOfRangeException(nameof(steps), steps, "steps must be ≥ 1");
        var start = Project(initial);                                                                  // (B, H) complex
        Tensor powers;                                                                                 // (steps, H) or (B, steps, H) complex
        if (phaseEnergy is null) powers = Powers(steps);
        else
        {
            var scale = 1 + nn.functional.linear(start.abs().Squared(), phaseEnergy);                   // (B, H)
            var logLambda = complex(-exp(nu_log).expand_as(scale), exp(theta_log) * scale);            // (B, H)
            var k = arange(steps, dtype: nu_log.dtype, device: nu_log.device).view(1, steps, 1);       // (1, steps, 1)
            powers = exp(k * logLambda.unsqueeze(1));                                                  // (B, steps, H)
        }
        var state = start.unsqueeze(1) * powers;                                                       // (B, steps, H) complex
        return Readout(state);                                                                         // (B, steps, D)
    }

    /// <summary>The convolution kernel K_k = Re(C diag(λ^k) B̄) for k = 0 … length−1, real (length, D, D).</summary>
    public Tensor Kernel(int length)
    {
        var scaled = Powers(length).unsqueeze(2) * InputMatrix();                                      // (T, H, D) complex
        var interleaved = view_as_real(scaled).permute(0, 1, 3, 2).reshape(length, 2 * HiddenSize, ModelSize); // (T, 2H, D)
        return matmul(OutputWeights(), interleaved);                                                   // (T, D, D)
    }

    /// <summary>λ^k = exp(k·log λ) for k = 0 … count−1, complex (count, H).</summary>
    public Tensor Powers(int count)
    {
        var k = arange(count, dtype: nu_log.dtype, device: nu_log.device).unsqueeze(1);                // (count, 1)
        return exp(k * LogLambda());
    }

    /// <summary>Log-depth inclusive scan of h_k = λ⊙h_{k−1} + b_k over dim 1 of b (B, T, H) complex.</summary>
    /// <remarks>Hillis–Steele: after the pass with offset d every h_k holds the sum over the last 2d inputs, so
    /// b_k ← b_k + λ^d b_{k−d} for d = 1, 2, 4, … &lt; T. This is the associative scan of (a, b) pairs with
    /// (a_i, b_i)∘(a_j, b_j) = (a_j a_i, a_j b_i + b_j) specialised to a constant a = λ, whose combined coefficients are the
    /// powers λ^d, formed as exp(d·log λ).</remarks>
    public static Tensor AssociativeScan(Tensor logLambda, Tensor drive)
    {
        long length = drive.shape[1];
        var state = drive;                                                                             // (B, T, H)
        for (long offset = 1; offset < length; offset <<= 1)
        {
            var factor = exp(logLambda * offset);                                                      // (H)
            var head = state.narrow(1, 0, offset);                                                     // (B, d, H)
            var tail = state.narrow(1, offset, length - offset) + factor * state.narrow(1, 0, length - offset);
            state = cat([head, tail], 1);
        }
        return state;
    }

    /// <summary>The sequential recurrence h_k = λ⊙h_{k−1} + b_k over dim 1 of b (B, T, H) complex.</summary>
    public static Tensor Recur(Tensor lambda, Tensor drive)
    {
        long length = drive.shape[1];
        var states = new Tensor[length];
        var state = drive.select(1, 0);                                                                // (B, H)
        states[0] = state;
        for (long k = 1; k < length; k++)
        {
            state = lambda * state + drive.select(1, k);
            states[k] = state;
        }
        return stack(states, 1);                                                                       // (B, T, H)
    }

    /// <summary>The recurrence h_k = λ⊙h_{k−1} + b_k over dim 1 of b (B, T, H) complex, run by a C# kernel with a hand-written
    /// adjoint backward (<see cref="LruScan.Fused"/>); falls back to <see cref="AssociativeScan"/> off the CPU.</summary>
    public static Tensor FusedRecurrence(Tensor lambda, Tensor drive) =>
        LinearRecurrenceFunction.Supports(drive)
            ? LinearRecurrenceFunction.apply(lambda, drive)[0]
            : AssociativeScan(log(lambda), drive);

    /// <summary>B̄u as a complex tensor: u (…, D) → (…, H).</summary>
    private Tensor Project(Tensor input)
    {
        var real = nn.functional.linear(input, InputWeights());                                       // (…, 2H)
        var pairs = real.view([.. real.shape[..^1], HiddenSize, 2]);                                   // (…, H, 2)
        return view_as_complex(pairs);
    }

    /// <summary>Re(C h): h (…, H) complex → (…, D).</summary>
    private Tensor Readout(Tensor state)
    {
        var pairs = view_as_real(state);                                                               // (…, H, 2)
        var flat = pairs.reshape([.. pairs.shape[..^2], 2 * HiddenSize]);                              // (…, 2H)
        return nn.functional.linear(flat, OutputWeights());
    }

    /// <summary>Rows [Re B̄₀; Im B̄₀; Re B̄₁; …], real (2H, D).</summary>
    private Tensor InputWeights()
    {
        var gain = exp(gamma_log).unsqueeze(1);                                                        // (H, 1)
        return stack([B_re * gain, B_im * gain], 1).reshape(2 * HiddenSize, ModelSize);
    }

    /// <summary>Columns [Re C₀, −Im C₀, Re C₁, …] so that Re(C h) = W·[Re h₀, Im h₀, …], real (D, 2H).</summary>
    private Tensor OutputWeights() => stack([C_re, -C_im], 2).reshape(ModelSize, 2 * HiddenSize);

    /// <summary>y = K * u + D⊙u via rfft with zero padding to 2T: u (B, T, D) → (B, T, D).</summary>
    private Tensor Convolve(Tensor input)
    {
        int length = (int)input.shape[1], padded = 2 * length;
        var kernelSpectrum = fft.rfft(Kernel(length), padded, 0);                                      // (F, D, D) complex
        var inputSpectrum = fft.rfft(input, padded, 1).permute(1, 2, 0);                               // (F, D, B) complex
        var outputSpectrum = matmul(kernelSpectrum, inputSpectrum).permute(2, 0, 1);                   // (B, F, D) complex
        var output = fft.irfft(outputSpectrum, padded, 1).narrow(1, 0, length);                        // (B, T, D)
        return D is null ? output : output + D * input;
    }

    private void CheckFeatures(Tensor input, int rank, string what)
    {
        if (input.dim() != rank || input.shape[^1] != ModelSize)
            throw new ArgumentException($"LRU {what} must have shape ({(rank == 3 ? "B, T, " : "B, ")}{ModelSize}); got ({string.Join(", ", input.shape)})");
        if (input.dtype != nu_log.dtype)
            throw new ArgumentException($"LRU {what} has dtype {input.dtype}; the layer's parameters are {nu_log.dtype}");
    }
}
