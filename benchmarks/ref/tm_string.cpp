// Reference C++ implementation of the tension-modulated (Kirchhoff–Carrier)
// modal string benchmark (run by benchmarks/ref/run.sh).
//
// Build: g++ -O3 -march=native -std=c++17 -fopenmp-simd tm_string.cpp -o tm_string
// Usage: tm_string <float|double> <modes> <fs> <seconds> <repeats> [two-step|conservative]
// Prints ONE JSON line on stdout (diagnostics go to stderr).
//
// Scheme "two-step" (default) is the impulse-invariant loop described next; scheme
// "conservative" is the real-time voice's update (src/PhysMod.Realtime/ModalVoice.cs),
// described at build_conservative below.
//
// Per mode mu = 1..N (lambda = (mu*pi/L)^2):
//   omega^2 = (EI lambda^2 + T0 lambda)/rhoA, gamma = (d1 + d3 lambda)/(2 rhoA)
//   omega_d = sqrt(omega^2 - gamma^2), r = exp(-gamma dt)
//   a1 = 2 r cos(omega_d dt), a2 = -r^2, b1 = dt r sin(omega_d dt)/omega_d
//   tau = kappa lambda/(L/2), kappa = E A/(2 L rhoA)
//   g = b1 * lambda                       (folded once, in double)
// Initial state (triangular pluck h = 5 mm at x_e = 0.117 m, pickup x_r = 0.533 m):
//   k = mu pi/L, q0 = h L sin(k x_e)/(k^2 x_e (L - x_e)), c = sin(k x_r)
// Per time step n -> n+1 (q = q^n, p = q^{n-1}):
//   s      = sum_nu tau_nu * (q_nu * q_nu)
//   q^{n+1}= (a1*q + a2*p) - (g*s)*q
//   y^{n+1}= sum_mu c_mu * q^{n+1}_mu
// Output y^0 .. y^{S-1}; y^0 = sum c q^0 is computed before the loop, so a run
// of S samples performs S-1 state updates.  q^{-1} = q^0.
//
// Coefficients are computed in double and cast to T; state and accumulators
// are T.  checksum = sum y^n and sumsq = sum (y^n)^2, both accumulated in
// double in sample order over the stored samples (after timing).

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <time.h>
#include <vector>

namespace {

constexpr std::size_t kAlign = 64;   // bytes
// Mode arrays are padded to a multiple of one 64-byte vector (8 doubles /
// 16 floats); the padding lanes hold zero coefficients and zero state, so they
// stay exactly zero and add exactly zero to every sum.
template <class T>
constexpr int kPad = static_cast<int>(kAlign / sizeof(T));

struct FreeDeleter { void operator()(void* p) const { std::free(p); } };

template <class T>
using Buf = std::unique_ptr<T[], FreeDeleter>;

template <class T>
Buf<T> make_buf(std::size_t n) {
    std::size_t bytes = n * sizeof(T);
    bytes = (bytes + kAlign - 1) / kAlign * kAlign;
    if (bytes == 0) bytes = kAlign;
    T* p = static_cast<T*>(std::aligned_alloc(kAlign, bytes));
    if (!p) { std::fprintf(stderr, "tm_string: allocation failed\n"); std::exit(2); }
    std::memset(p, 0, bytes);
    return Buf<T>(p);
}

template <class T>
struct Model {
    int n = 0;        // physical modes
    int np = 0;       // padded length (extra lanes have all-zero coefficients/state)
    Buf<T> a1, a2, g, tau, c, q0;
};

template <class T>
Model<T> build_model(int modes, double fs) {
    // Nylon guitar B string (SI units).
    const double A = 0.5188e-6, I = 0.141e-12, rho = 1140.0, E = 5.4e9;
    const double d1 = 8e-4, d3 = 1.4e-5, T0 = 60.97, L = 0.65;
    const double rhoA = rho * A, EI = E * I;
    const double dt = 1.0 / fs;
    const double kappa = E * A / (2.0 * L * rhoA);
    const double h = 0.005, xe = 0.117, xr = 0.533;
    const double pi = 3.14159265358979323846;

    Model<T> m;
    m.n = modes;
    m.np = (modes + kPad<T> - 1) / kPad<T> * kPad<T>;
    m.a1 = make_buf<T>(m.np); m.a2 = make_buf<T>(m.np); m.g = make_buf<T>(m.np);
    m.tau = make_buf<T>(m.np); m.c = make_buf<T>(m.np); m.q0 = make_buf<T>(m.np);

    for (int i = 0; i < modes; ++i) {
        const double mu = i + 1;
        const double k = mu * pi / L;
        const double lam = k * k;
        const double w2 = (EI * lam * lam + T0 * lam) / rhoA;
        const double gam = 0.5 * (d1 + d3 * lam) / rhoA;
        const double wd2 = w2 - gam * gam;
        if (!(wd2 > 0.0)) {
            std::fprintf(stderr, "tm_string: mode %d is overdamped\n", i + 1);
            std::exit(2);
        }
        const double wd = std::sqrt(wd2);
        if (wd * dt >= pi)
            std::fprintf(stderr, "tm_string: warning: mode %d above Nyquist (omega_d*dt=%.3f)\n",
                         i + 1, wd * dt);
        const double r = std::exp(-gam * dt);
        const double a1 = 2.0 * r * std::cos(wd * dt);
        const double a2 = -r * r;
        const double b1 = dt * r * std::sin(wd * dt) / wd;
        const double tau = kappa * lam / (L / 2.0);
        const double c = std::sin(k * xr);
        const double q0 = h * L * std::sin(k * xe) / (k * k * xe * (L - xe));
        m.a1[i] = static_cast<T>(a1);
        m.a2[i] = static_cast<T>(a2);
        m.g[i] = static_cast<T>(b1 * lam);
        m.tau[i] = static_cast<T>(tau);
        m.c[i] = static_cast<T>(c);
        m.q0[i] = static_cast<T>(q0);
    }
    return m;
}

// The reductions use `#pragma omp simd reduction` (needs -fopenmp-simd; no
// threads, no OpenMP runtime): this lets GCC vectorise the floating-point sums
// without -ffast-math, by keeping one partial sum per vector lane and adding
// the lanes at the end.  Without the flag the pragmas are ignored and only the
// element-wise update part vectorises.  GCC's default -ffp-contract=fast
// (also under -std=c++17) fuses a*b+c into FMA instructions with -march=native;
// that is left on deliberately (it is what "-O3 -march=native" gives).

// s = sum tau * (q*q)
template <class T>
static inline T tension_sum(const T* __restrict tau, const T* __restrict q, int np) {
    T s = 0;
#pragma omp simd reduction(+ : s) aligned(tau, q : 64)
    for (int i = 0; i < np; ++i) s += tau[i] * (q[i] * q[i]);
    return s;
}

// y = sum c * q
template <class T>
static inline T output_sum(const T* __restrict c, const T* __restrict q, int np) {
    T y = 0;
#pragma omp simd reduction(+ : y) aligned(c, q : 64)
    for (int i = 0; i < np; ++i) y += c[i] * q[i];
    return y;
}

// One time step, fused into a single pass over the modes.  On entry q = q^n,
// p = q^{n-1}, s = sum tau (q^n)^2.  On exit p holds q^{n+1} (written in place
// over q^{n-1}), s = sum tau (q^{n+1})^2 (the tension sum the NEXT step needs,
// accumulated while q^{n+1} is in registers), and the return value is y^{n+1}.
// Same products and sums as "pass 1: s = sum tau q^2; pass 2: update + y",
// just without re-reading q.
template <class T>
static inline T step(const T* __restrict a1, const T* __restrict a2,
                     const T* __restrict g, const T* __restrict tau,
                     const T* __restrict c, const T* __restrict q,
                     T* __restrict p, T& s, int np) {
    const T s_n = s;
    T y = 0, s_next = 0;
#pragma omp simd reduction(+ : y, s_next) aligned(a1, a2, g, tau, c, q, p : 64)
    for (int i = 0; i < np; ++i) {
        const T qi = q[i];
        const T nx = (a1[i] * qi + a2[i] * p[i]) - (g[i] * s_n) * qi;
        p[i] = nx;
        y += c[i] * nx;
        s_next += tau[i] * (nx * nx);
    }
    s = s_next;
    return y;
}

// One full simulation from a fresh state; writes S samples y^0..y^{S-1}.
template <class T>
__attribute__((noinline)) void render(const Model<T>& m, T* bufA, T* bufB, T* __restrict out,
                                      long S) {
    const int np = m.np;
    std::memcpy(bufA, m.q0.get(), sizeof(T) * np);   // q^0
    std::memcpy(bufB, m.q0.get(), sizeof(T) * np);   // q^{-1} = q^0
    T* q = bufA;
    T* p = bufB;
    if (S <= 0) return;
    const T* a1 = m.a1.get(); const T* a2 = m.a2.get(); const T* g = m.g.get();
    const T* tau = m.tau.get(); const T* c = m.c.get();
    out[0] = output_sum(c, q, np);
    T s = tension_sum(tau, q, np);
    for (long n = 1; n < S; ++n) {
        out[n] = step(a1, a2, g, tau, c, q, p, s, np);
        std::swap(p, q);   // the freshly written buffer becomes the current state
    }
}

// ---------------------------------------------------------------------------
// Scheme "conservative": the energy-conserving scheme of the real-time voice
// (PhysMod.Realtime.ModalVoice), same float32 operations in the same order per
// mode (the sums over modes may be grouped differently).  Per mode, in double:
//   ModeCoefficients: gamma = (d1 + d3 lambda)/(2 rhoA), r = exp(-gamma dt),
//   C = cos(wd dt), S = sin(wd dt)/wd, a1 = 2 r C, b1 = dt r S
//   e = (1 - r)^2 + 2 r (1 - C)   (= 1 + r^2 - a1),   g = 1 - r^2
//   p = w2 (1 + r^2) / (2 (1 + r^2 - a1)),  m = (c/2) lambda (1 + r^2) / (2 p)
//   c = E A / (2 L rhoA) / (L/2),  k = sqrt(lambda)
//   pickup weight w = sin(k x_r) / (L/2) / k
// Scaled state x = k q and increment d^n = x^n - x^{n-1}.  Per step (S = sum x^2):
//   inc    = fma(-e, x, -g * d)
//   inc    = fma(-2m * x, S, inc) / fma(m, S, 1)
//   x^{n+1} = (x + d) + inc,  d^{n+1} = d + inc
//   y^n    = sum w x^n,       S^{n+1} = sum (x^{n+1})^2
// Start (as the voice and the Physics TwoStepStepper): q^0 = pluck, v^0 = 0,
//   q^1 = r (q0 C + gamma q0 S) - b1 (c/2) lambda q0 S(q^0),  S(q) = sum lambda q^2,
//   x^0 = k q^0, d^1 = k q^1 - x^0, and d^0 such that the first step gives d^1:
//   d^0 = (d^1 (1 + m S0) + (e + 2 m S0) x^0) / (1 + m S0 - g)   (all in double).
// Every sample y^0 .. y^{S-1} comes from a step.
template <class T>
struct ConservativeModel {
    int n = 0, np = 0;
    Buf<T> ne, ng, n2m, m, w, x0, d0;
};

template <class T>
ConservativeModel<T> build_conservative(int modes, double fs) {
    const double A = 0.5188e-6, I = 0.141e-12, rho = 1140.0, E = 5.4e9;
    const double d1 = 8e-4, d3 = 1.4e-5, T0 = 60.97, L = 0.65;
    const double rhoA = rho * A, EI = E * I, dt = 1.0 / fs;
    const double tension = E * A / (2.0 * L * rhoA) / (L / 2.0);
    const double h = 0.005, xe = 0.117, xr = 0.533;
    const double pi = 3.14159265358979323846;
    ConservativeModel<T> m;
    m.n = modes;
    m.np = (modes + kPad<T> - 1) / kPad<T> * kPad<T>;
    for (auto* b : {&m.ne, &m.ng, &m.n2m, &m.m, &m.w, &m.x0, &m.d0}) *b = make_buf<T>(m.np);
    std::vector<double> lam(modes), q0(modes);
    double s0 = 0.0;
    for (int i = 0; i < modes; ++i) {
        const double k = (i + 1) * pi / L;
        lam[i] = k * k;
        q0[i] = h * L * std::sin(k * xe) / (k * k * xe * (L - xe));
        s0 += lam[i] * q0[i] * q0[i];
    }
    for (int i = 0; i < modes; ++i) {
        const double k = std::sqrt(lam[i]);
        const double w2 = (EI * lam[i] * lam[i] + T0 * lam[i]) / rhoA;
        const double gam = 0.5 * (d1 + d3 * lam[i]) / rhoA;
        const double wd2 = w2 - gam * gam;
        if (!(wd2 > 0.0)) { std::fprintf(stderr, "tm_string: mode %d is overdamped\n", i + 1); std::exit(2); }
        const double wd = std::sqrt(wd2);
        const double r = std::exp(-gam * dt), C = std::cos(wd * dt), S = std::sin(wd * dt) / wd;
        const double a1 = 2.0 * r * C, b1 = dt * r * S;
        const double om = -std::expm1(-gam * dt);
        const double e = om * om + 2.0 * r * (1.0 - C);
        const double g = -std::expm1(-gam * 2.0 * dt);
        const double p = w2 * (1.0 + r * r) / (2.0 * (1.0 + r * r - a1));
        const double gain = tension / 2.0 * lam[i] * (1.0 + r * r) / (2.0 * p);
        const double weight = std::sin(k * xr) / (L / 2.0);
        const double q1 = r * (q0[i] * C + (gam * q0[i]) * S) + b1 * (-(0.5 * tension * lam[i] * q0[i] * s0));
        m.ne[i] = static_cast<T>(-e);
        m.ng[i] = static_cast<T>(-g);
        m.n2m[i] = static_cast<T>(-2.0 * gain);
        m.m[i] = static_cast<T>(gain);
        m.w[i] = static_cast<T>(weight / k);
        const double x = k * q0[i], dnext = k * q1 - x, ms = gain * s0;
        m.x0[i] = static_cast<T>(x);
        m.d0[i] = static_cast<T>((dnext * (1.0 + ms) + (e + 2.0 * ms) * x) / (1.0 + ms - g));
    }
    return m;
}

// One conservative step fused into one pass: emits y^n, writes x^{n+1}, d^{n+1}
// in place and leaves S^{n+1} in s.
template <class T>
static inline T step_conservative(const ConservativeModel<T>& m, T* __restrict x, T* __restrict d, T& s) {
    const T* __restrict ne = m.ne.get(); const T* __restrict ng = m.ng.get();
    const T* __restrict n2m = m.n2m.get(); const T* __restrict mm = m.m.get();
    const T* __restrict w = m.w.get();
    const int np = m.np;
    const T s_n = s;
    T y = 0, s_next = 0;
#pragma omp simd reduction(+ : y, s_next) aligned(ne, ng, n2m, mm, w, x, d : 64)
    for (int i = 0; i < np; ++i) {
        const T xi = x[i], di = d[i];
        T inc = std::fma(ne[i], xi, ng[i] * di);
        inc = std::fma(n2m[i] * xi, s_n, inc) / std::fma(mm[i], s_n, T(1));
        const T xn = (xi + di) + inc;
        d[i] = di + inc;
        x[i] = xn;
        y += w[i] * xi;
        s_next += xn * xn;
    }
    s = s_next;
    return y;
}

template <class T>
__attribute__((noinline)) void render_conservative(const ConservativeModel<T>& m, T* x, T* d, T* __restrict out, long S) {
    std::memcpy(x, m.x0.get(), sizeof(T) * m.np);
    std::memcpy(d, m.d0.get(), sizeof(T) * m.np);
    T s = 0;
    for (int i = 0; i < m.np; ++i) s += x[i] * x[i];
    for (long n = 0; n < S; ++n) out[n] = step_conservative(m, x, d, s);
}

template <class T>
int run(const char* precision, int modes, double fs, double seconds, int repeats, bool conservative) {
    const long S = std::lround(seconds * fs);
    Model<T> m = build_model<T>(modes, fs);
    ConservativeModel<T> cm;
    if (conservative) cm = build_conservative<T>(modes, fs);
    Buf<T> bufA = make_buf<T>(m.np), bufB = make_buf<T>(m.np);
    Buf<T> out = make_buf<T>(static_cast<std::size_t>(std::max(S, 1L)));

    std::vector<double> times, cpu_times;
    double checksum = 0.0, sumsq = 0.0;
    for (int rep = 0; rep < repeats; ++rep) {
        std::memset(out.get(), 0, sizeof(T) * static_cast<std::size_t>(std::max(S, 1L)));
        timespec c0{}, c1{};
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c0);
        const auto t0 = std::chrono::steady_clock::now();
        if (conservative) render_conservative<T>(cm, bufA.get(), bufB.get(), out.get(), S);
        else render<T>(m, bufA.get(), bufB.get(), out.get(), S);
        const auto t1 = std::chrono::steady_clock::now();
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c1);
        times.push_back(std::chrono::duration<double>(t1 - t0).count());
        cpu_times.push_back((c1.tv_sec - c0.tv_sec) + 1e-9 * (c1.tv_nsec - c0.tv_nsec));
        double cs = 0.0, ss = 0.0;
        for (long n = 0; n < S; ++n) {
            const double v = static_cast<double>(out[n]);
            cs += v;
            ss += v * v;
        }
        if (rep > 0 && cs != checksum) {
            std::fprintf(stderr, "tm_string: non-deterministic checksum (%.17g vs %.17g)\n", cs,
                         checksum);
            return 3;
        }
        checksum = cs;
        sumsq = ss;
        std::fprintf(stderr, "  cpp %s rep %d/%d: %.6f s\n", precision, rep + 1, repeats,
                     times.back());
    }
    std::vector<double> sorted = times;
    std::sort(sorted.begin(), sorted.end());
    const std::size_t k = sorted.size();
    const double median = (k % 2) ? sorted[k / 2] : 0.5 * (sorted[k / 2 - 1] + sorted[k / 2]);
    const double audio = static_cast<double>(S) / fs;
    std::sort(cpu_times.begin(), cpu_times.end());
    const double cpu_median = (k % 2) ? cpu_times[k / 2] : 0.5 * (cpu_times[k / 2 - 1] + cpu_times[k / 2]);

    std::string yfirst = "[";
    for (long n = 0; n < std::min(S, 4L); ++n) {
        char b[40];
        std::snprintf(b, sizeof b, "%s%.17g", n ? "," : "", static_cast<double>(out[n]));
        yfirst += b;
    }
    yfirst += "]";
    const double ylast = S > 0 ? static_cast<double>(out[S - 1]) : 0.0;

    std::printf("{\"impl\":\"cpp\",\"scheme\":\"%s\",\"precision\":\"%s\",\"modes\":%d,\"fs\":%.17g,"
                "\"seconds\":%.17g,\"samples\":%ld,\"repeats\":%d,\"median_s\":%.9g,"
                "\"min_s\":%.9g,\"cpu_median_s\":%.9g,\"cpu_min_s\":%.9g,\"rtf\":%.9g,\"checksum\":%.17g,\"sumsq\":%.17g,\"y_first\":%s,"
                "\"y_last\":%.17g}\n",
                conservative ? "conservative" : "two-step", precision, modes, fs, audio, S, repeats, median, sorted.front(),
                cpu_median, cpu_times.front(),
                audio / median, checksum, sumsq, yfirst.c_str(), ylast);
    return 0;
}

[[noreturn]] void usage() {
    std::fprintf(stderr, "usage: tm_string <float|double> <modes> <fs> <seconds> <repeats> [two-step|conservative]\n");
    std::exit(1);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 6 && argc != 7) usage();
    const std::string scheme = argc == 7 ? argv[6] : "two-step";
    if (scheme != "two-step" && scheme != "conservative") usage();
    const bool conservative = scheme == "conservative";
    const std::string prec = argv[1];
    char* end = nullptr;
    const long modes = std::strtol(argv[2], &end, 10);
    if (*end || modes < 1 || modes > 100000) usage();
    const double fs = std::strtod(argv[3], &end);
    if (*end || !(fs > 0)) usage();
    const double seconds = std::strtod(argv[4], &end);
    if (*end || !(seconds > 0)) usage();
    const long repeats = std::strtol(argv[5], &end, 10);
    if (*end || repeats < 1) usage();
    if (prec == "double") return run<double>("double", (int)modes, fs, seconds, (int)repeats, conservative);
    if (prec == "float") return run<float>("float", (int)modes, fs, seconds, (int)repeats, conservative);
    usage();
}
