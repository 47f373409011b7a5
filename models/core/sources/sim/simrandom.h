#pragma once

#include <QtGlobal>

#include <array>
#include <cstdint>

// The simulator's random numbers: xoshiro256** with its own distributions, so a seed gives
// the same stream with any standard library (std::normal_distribution and friends are
// implementation-defined). Independent streams come from stream(): one per component keeps
// the exogenous index path unchanged when agent behaviour is tuned.
class SimRandom
{
public:
    explicit SimRandom(quint64 seed, quint64 stream = 0);

    quint64 next();
    double uniform();                  // [0, 1)
    double uniformOpen();              // (0, 1)
    double normal();                   // N(0, 1)
    double exponential(double mean);
    int poisson(double mean);          // for small means (< ~30)
    double pareto(double xmin, double alpha, double cap);
    double laplace(double scale);
    bool chance(double p) { return uniform() < p; }
    // Index drawn with probability proportional to weights[i].
    int pick(const double *weights, int count);

private:
    std::array<quint64, 4> m_s{};
    double m_spare = 0;
    bool m_hasSpare = false;
};
