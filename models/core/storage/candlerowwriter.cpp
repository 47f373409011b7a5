#include "candlerowwriter.h"

#include "dbconnection.h"

namespace {

QByteArray upsertSql(const SqlDialect &dialect, const char *table, int rows)
{
    QByteArray sql = QByteArray("INSERT INTO ") + table + "(instrument,tf,ts,open,high,low,close,volume,quote_volume,taker_buy) VALUES";
    for (int i = 0; i < rows; ++i)
        sql += i ? ",(?,?,?,?,?,?,?,?,?,?)" : "(?,?,?,?,?,?,?,?,?,?)";
    sql += " ON CONFLICT(instrument,tf,ts) DO UPDATE SET open=excluded.open,high=excluded.high,low=excluded.low,"
           "close=excluded.close,volume=excluded.volume,quote_volume=excluded.quote_volume,taker_buy=excluded.taker_buy "
           // A row re-sent with the values it holds is left alone: nothing written, nothing
           // counted as changed (a re-import says so), no WAL page dirtied.
        + dialect.changedWhere(table, {"open", "high", "low", "close", "volume", "quote_volume", "taker_buy"});
    return sql;
}

} // namespace

CandleRowWriter::CandleRowWriter(DbConnection &db, const char *table)
    : m_db(db)
    , m_table(table)
    , m_groupRows(db.dialect().candleGroupRows())
    , m_group(db.prepare(upsertSql(db.dialect(), table, m_groupRows).constData(), true))
    , m_single(db.prepare(upsertSql(db.dialect(), table, 1).constData(), true))
{
    m_buffer.reserve(size_t(m_groupRows));
}

void CandleRowWriter::bindRows(DbStatement &st, int count)
{
    for (int i = 0; i < count; ++i) {
        const Pending &p = m_buffer[size_t(i)];
        const int b = i * 10;
        st.bind(b + 1, p.instrument)
            .bind(b + 2, p.tf)
            .bind(b + 3, p.candle.ts)
            .bind(b + 4, p.candle.open)
            .bind(b + 5, p.candle.high)
            .bind(b + 6, p.candle.low)
            .bind(b + 7, p.candle.close)
            .bind(b + 8, p.candle.volume)
            .bind(b + 9, p.candle.quoteVolume)
            .bind(b + 10, p.candle.takerBuyVolume);
    }
}

void CandleRowWriter::add(qint64 instrument, Timeframe tf, const Candle &c)
{
    m_buffer.push_back({instrument, Timeframes::minutes(tf), c});
    if (int(m_buffer.size()) < m_groupRows)
        return;
    bindRows(m_group, m_groupRows);
    m_buffer.clear(); // a failed statement leaves no rows behind for the next transaction
    m_group.exec();
    m_changed += m_db.changes();
}

void CandleRowWriter::flush()
{
    const int n = int(m_buffer.size());
    if (n == 0)
        return;
    if (n > 1 && m_db.dialect().flushesRemainderAtOnce()) {
        DbStatement rest = m_db.prepare(upsertSql(m_db.dialect(), m_table, n).constData());
        bindRows(rest, n);
        m_buffer.clear();
        rest.exec();
        m_changed += m_db.changes();
        return;
    }
    const std::vector<Pending> rows = std::exchange(m_buffer, {});
    m_buffer.reserve(size_t(m_groupRows));
    for (const Pending &p : rows) {
        m_single.bind(1, p.instrument)
            .bind(2, p.tf)
            .bind(3, p.candle.ts)
            .bind(4, p.candle.open)
            .bind(5, p.candle.high)
            .bind(6, p.candle.low)
            .bind(7, p.candle.close)
            .bind(8, p.candle.volume)
            .bind(9, p.candle.quoteVolume)
            .bind(10, p.candle.takerBuyVolume);
        m_single.exec();
        m_changed += m_db.changes();
    }
}
