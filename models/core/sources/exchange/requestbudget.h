#pragma once

#include <QHash>
#include <QString>
#include <deque>

struct RestRequest;

// Keeps a client under the venue's request limits by itself, so it never earns a 429:
// the request weight per calendar window (Binance: 2400 per minute, read from exchangeInfo,
// used weight reported by every response) and count buckets that some endpoints add
// (Binance fundingRate: 500 per 5 minutes). All times are the venue's clock.
class RequestBudget
{
public:
    // Stop at `safety` of the limit (the headers count other programs on this IP too).
    void setWeightLimit(int limit, qint64 windowMs, double safety = 0.8);
    void addBucket(const QString &name, int limit, qint64 windowMs);
    int weightLimit() const { return m_limit; }
    qint64 windowMs() const { return m_windowMs; }

    // How long to wait before this request may go (0 = now).
    qint64 delayFor(const RestRequest &request, qint64 now) const;
    void sent(const RestRequest &request, qint64 now);
    // The venue's count of weight used in the current window, from a response header.
    void observed(int usedWeight, qint64 now);
    // No request before this time (429 Retry-After, 418 ban, backoff).
    void blockUntil(qint64 when) { m_blockedUntil = std::max(m_blockedUntil, when); }
    qint64 blockedUntil() const { return m_blockedUntil; }
    // The estimate of the venue's clock moved by delta (the first serverTime answer): what
    // was noted in the old estimate moves with it. (A backoff noted before the first answer,
    // against a venue clock years off the local one, once blocked every request for 24 h.)
    void shiftClock(qint64 deltaMs);
    int usedInWindow(qint64 now) const;

private:
    struct Bucket
    {
        int limit = 0;
        qint64 windowMs = 0;
        std::deque<qint64> sent;
    };
    qint64 window(qint64 now) const { return m_windowMs > 0 ? now / m_windowMs : 0; }
    qint64 marginMs() const;

    int m_limit = 2400;
    qint64 m_windowMs = 60'000;
    double m_safety = 0.8;
    qint64 m_currentWindow = -1;
    int m_used = 0;
    qint64 m_lastNoted = 0; // the time of the last sent() or observed()
    qint64 m_blockedUntil = 0;
    mutable QHash<QString, Bucket> m_buckets;
};
