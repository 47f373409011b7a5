#include "simrandom.h"

#include <cmath>

namespace {

quint64 splitmix(quint64 &x)
{
    quint64 z = (x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

inline quint64 rotl(quint64 x, int k)
{
    return (x << k) | (x >> (64 - k));
}

} // namespace

SimRandom::SimRandom(quint64 seed, quint64 stream)
{
    quint64 x = seed ^ (stream * 0xd1b54a32d192ed03ULL);
    for (quint64 &s : m_s)
        s = splitmix(x);
}

quint64 SimRandom::next()
{
    const quint64 result = rotl(m_s[1] * 5, 7) * 9;
    const quint64 t = m_s[1] << 17;
    m_s[2] ^= m_s[0];
    m_s[3] ^= m_s[1];
    m_s[1] ^= m_s[2];
    m_s[0] ^= m_s[3];
    m_s[2] ^= t;
    m_s[3] = rotl(m_s[3], 45);
    return result;
}

double SimRandom::uniform()
{
    return double(next() >> 11) * 0x1.0p-53;
}

double SimRandom::uniformOpen()
{
    return (double(next() >> 12) + 0.5) * 0x1.0p-52;
}

double SimRandom::normal()
{
    if (m_hasSpare) {
        m_hasSpare = false;
        return m_spare;
    }
    double u, v, s;
    do {
        u = 2.0 * uniform() - 1.0;
        v = 2.0 * uniform() - 1.0;
        s = u * u + v * v;
    } while (s >= 1.0 || s == 0.0);
    const double f = std::sqrt(-2.0 * std::log(s) / s);
    m_spare = v * f;
    m_hasSpare = true;
    return u * f;
}

double SimRandom::exponential(double mean)
{
    return -mean * std::log(uniformOpen());
}

int SimRandom::poisson(double mean)
{
    if (mean <= 0)
        return 0;
    // Inversion: cheap for the small per-second rates the simulator uses.
    const double limit = std::exp(-mean);
    double p = uniform();
    int k = 0;
    double term = limit;
    double cumulative = term;
    while (p > cumulative && k < 1000) {
        ++k;
        term *= mean / k;
        cumulative += term;
    }
    return k;
}

double SimRandom::pareto(double xmin, double alpha, double cap)
{
    // Inverse CDF of a Pareto truncated at cap (no mass piles up at the cap).
    const double r = std::pow(xmin / cap, alpha);
    const double u = uniform();
    return xmin / std::pow(1.0 - u * (1.0 - r), 1.0 / alpha);
}

double SimRandom::laplace(double scale)
{
    const double u = uniform() - 0.5;
    return u < 0 ? scale * std::log(1.0 + 2.0 * u + 1e-300) : -scale * std::log(1.0 - 2.0 * u + 1e-300);
}

int SimRandom::pick(const double *weights, int count)
{
    double total = 0;
    for (int i = 0; i < count; ++i)
        total += weights[i];
    double x = uniform() * total;
    for (int i = 0; i < count; ++i) {
        x -= weights[i];
        if (x < 0)
            return i;
    }
    return count - 1;
}
