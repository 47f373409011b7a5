#pragma once

#include <QHash>
#include <QMetaType>
#include <QString>

// A tradable contract on one venue. The store keys every series by it; "SIM" is the
// embedded simulator's venue so simulated and real history never mix.
struct Instrument
{
    QString exchange; // "SIM", "BINANCE", "BYBIT", "OKX"
    QString symbol;   // exchange spelling, upper case: "BTCUSDT"

    bool isValid() const { return !exchange.isEmpty() && !symbol.isEmpty(); }
    // Not from an exchange: the simulator's market (SIM) or the synthetic random walk (SYNTH).
    // Both are labelled so wherever they are shown; isSynthetic() tells the walk apart.
    bool isSimulated() const { return exchange == QLatin1String("SIM") || isSynthetic(); }
    bool isSynthetic() const { return exchange == QLatin1String("SYNTH"); }
    // "BINANCE:BTCUSDT"; parse() accepts it, or a bare symbol with a default exchange, and
    // returns an empty instrument (no symbol) for anything else: two colons, spaces, symbols
    // with characters no venue uses.
    QString key() const { return exchange + QLatin1Char(':') + symbol; }
    static Instrument parse(const QString &text, const QString &defaultExchange);

    friend bool operator==(const Instrument &a, const Instrument &b)
    {
        return a.exchange == b.exchange && a.symbol == b.symbol;
    }
    friend bool operator!=(const Instrument &a, const Instrument &b) { return !(a == b); }
    friend size_t qHash(const Instrument &i, size_t seed = 0) { return qHash(i.key(), seed); }
};

Q_DECLARE_METATYPE(Instrument)
