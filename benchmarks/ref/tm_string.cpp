// Reference C++ implementation of the tension-modulated (Kirchhoff–Carrier)
// modal string benchmark (run by benchmarks/ref/run.sh).
//
// Build: g++ -O3 -march=native -std=c++17 -fopenmp-simd tm_string.cpp -o tm_string
// Usage: tm_string <float|double> <modes> <fs> <seconds> <repeats>
// Prints ONE JSON line on stdout (diagnostics go to stderr).
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

template <class T>
int run(const char* precision, int modes, double fs, double seconds, int repeats) {
    const long S = std::lround(seconds * fs);
    Model<T> m = build_model<T>(modes, fs);
    Buf<T> bufA = make_buf<T>(m.np), bufB = make_buf<T>(m.np);
    Buf<T> out = make_buf<T>(static_cast<std::size_t>(std::max(S, 1L)));

    std::vector<double> times;
    double checksum = 0.0, sumsq = 0.0;
    for (int rep = 0; rep < repeats; ++rep) {
        std::memset(out.get(), 0, sizeof(T) * static_cast<std::size_t>(std::max(S, 1L)));
        const auto t0 = std::chrono::steady_clock::now();
        render<T>(m, bufA.get(), bufB.get(), out.get(), S);
        const auto t1 = std::chrono::steady_clock::now();
        times.push_back(std::chrono::duration<double>(t1 - t0).count());
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

    std::string yfirst = "[";
    for (long n = 0; n < std::min(S, 4L); ++n) {
        char b[40];
        std::snprintf(b, sizeof b, "%s%.17g", n ? "," : "", static_cast<double>(out[n]));
        yfirst += b;
    }
    yfirst += "]";
    const double ylast = S > 0 ? static_cast<double>(out[S - 1]) : 0.0;

    std::printf("{\"impl\":\"cpp\",\"precision\":\"%s\",\"modes\":%d,\"fs\":%.17g,"
                "\"seconds\":%.17g,\"samples\":%ld,\"repeats\":%d,\"median_s\":%.9g,"
                "\"min_s\":%.9g,\"rtf\":%.9g,\"checksum\":%.17g,\"sumsq\":%.17g,\"y_first\":%s,"
                "\"y_last\":%.17g}\n",
                precision, modes, fs, audio, S, repeats, median, sorted.front(),
                audio / median, checksum, sumsq, yfirst.c_str(), ylast);
    return 0;
}

[[noreturn]] void usage() {
    std::fprintf(stderr, "usage: tm_string <float|double> <modes> <fs> <seconds> <repeats>\n");
    std::exit(1);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 6) usage();
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
    if (prec == "double") return run<double>("double", (int)modes, fs, seconds, (int)repeats);
    if (prec == "float") return run<float>("float", (int)modes, fs, seconds, (int)repeats);
    usage();
}
