#pragma once

// The real `perpscope record` as a child process for the recorder tests, with the loopback
// Binance servers of binancefixture.h as its venue: its log lines as they arrive (the test's
// event loop keeps serving the venue meanwhile, so nothing here blocks), signals, and a
// liquidation tape the test pushes over the stream and checks in the store afterwards.
// Header-only and without Q_OBJECT: each test is its own executable.

#include "binancefixture.h"
#include "storage/marketstore.h"
#include "storage/storereader.h"

#include <QDateTime>
#include <QProcess>
#include <QRegularExpression>

#include <csignal>
#include <set>

namespace RecorderRun {

inline const Instrument linkUsdt{QStringLiteral("BINANCE"), QStringLiteral("LINKUSDT")};

// The venue: LINKUSDT of February 2023, the server clock a few hours in.
struct Venue
{
    FakeBinance::RestServer rest{BinanceFixture::feb1 + 6 * 3'600'000LL + 30'000, 2400, 60'000};
    FakeBinance::StreamServer ws;
    Venue() { rest.data[QStringLiteral("LINKUSDT")] = BinanceFixture::linkFebruary(); }

    // The options that point `record` at this venue, with the fast timings of the client tests.
    QStringList options() const
    {
        QStringList out;
        const QStringList kv = {QStringLiteral("rest_url=") + rest.url(), QStringLiteral("ws_url=") + ws.url(),
                                QStringLiteral("oi_poll_ms=1000"),        QStringLiteral("timeout_ms=700"),
                                QStringLiteral("backoff_ms=50"),          QStringLiteral("backoff_cap_ms=400"),
                                QStringLiteral("silence_ms=4000"),        QStringLiteral("reconnect_ms=50"),
                                QStringLiteral("reconnect_cap_ms=200")};
        for (const QString &o : kv)
            out << QStringLiteral("--source-option") << o;
        return out;
    }
};

// Liquidations pushed over the stream, one millisecond stamp each (the natural key).
struct Tape
{
    std::set<qint64> sent;
    qint64 last = 0;

    void push(Venue &venue, const QString &symbol = QStringLiteral("LINKUSDT"))
    {
        const qint64 ts = std::max(last + 1, venue.rest.now());
        last = ts;
        venue.ws.push(FakeBinance::StreamServer::forceOrder(symbol, ts, sent.size() % 2 ? "BUY" : "SELL", 6.9 + double(sent.size() % 50) * 0.001,
                                                            1.0 + double(sent.size() % 7)));
        sent.insert(ts);
    }
};

class Recorder
{
public:
    explicit Recorder(const QStringList &args)
    {
        m_p.setProcessChannelMode(QProcess::SeparateChannels);
        QObject::connect(&m_p, &QProcess::readyReadStandardError, &m_p, [this] { read(); });
        m_p.start(QStringLiteral(PERPSCOPE_BINARY), QStringList{QStringLiteral("record")} + args);
        m_p.waitForStarted(30'000);
    }
    ~Recorder()
    {
        if (m_p.state() != QProcess::NotRunning) {
            m_p.kill();
            m_p.waitForFinished(10'000);
        }
    }

    bool running() const { return m_p.state() != QProcess::NotRunning; }
    qint64 pid() const { return m_p.processId(); }
    void signal(int sig) const
    {
        if (running() && m_p.processId() > 0)
            ::kill(pid_t(m_p.processId()), sig);
    }
    // Exit code once ended normally; -1 while running or after a crash or kill.
    int exitCode() const { return running() || m_p.exitStatus() != QProcess::NormalExit ? -1 : m_p.exitCode(); }

    const QStringList &lines()
    {
        read();
        return m_lines;
    }
    QString log() { return lines().join(QLatin1Char('\n')); }
    int count(const QString &text)
    {
        int n = 0;
        for (const QString &l : lines())
            n += l.contains(text) ? 1 : 0;
        return n;
    }
    bool has(const QString &text) { return count(text) > 0; }

    // The newest liquidation time the last "batch committed" line of an instrument names
    // (0: none yet). What the store must hold at least, whatever happens after that line.
    qint64 committedLiquidationsTo(const Instrument &i)
    {
        static const QRegularExpression to(QStringLiteral("liquidations to (\\S+?)[,)]"));
        qint64 newest = 0;
        for (const QString &l : lines()) {
            if (!l.contains(QStringLiteral("batch committed")) || !l.contains(i.key() + QLatin1Char(' ')))
                continue;
            const auto m = to.match(l);
            if (m.hasMatch())
                newest = std::max(newest, QDateTime::fromString(m.captured(1), Qt::ISODateWithMs).toMSecsSinceEpoch());
        }
        return newest;
    }

private:
    void read()
    {
        m_partial += m_p.readAllStandardError();
        qsizetype nl;
        while ((nl = m_partial.indexOf('\n')) >= 0) {
            m_lines << QString::fromUtf8(m_partial.left(nl));
            m_partial.remove(0, nl + 1);
        }
    }

    QProcess m_p;
    QByteArray m_partial;
    QStringList m_lines;
};

// The liquidation times the store holds for an instrument.
inline std::set<qint64> storedLiquidations(const StoreLocator &store, const Instrument &i)
{
    std::set<qint64> out;
    auto reader = MarketStore::openReadOnly(store).reader();
    for (const Liquidation &l : reader->liquidations(i, {0, 4'102'444'800'000}))
        out.insert(l.ts);
    return out;
}

} // namespace RecorderRun
