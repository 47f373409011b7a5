#include "candlerowwriter.h"

#include "sqliteconnection.h"

namespace {

QByteArray upsertSql(const char *table, int rows)
{
    QByteArray sql = QByteArray("INSERT INTO ") + table + "(instrument,tf,ts,open,high,low,close,volume,quote_volume,taker_buy) VALUES";
    for (int i = 0; i < rows; ++i)
        sql += i ? ",(?,?,?,?,?,?,?,?,?,?)" : "(?,?,?,?,?,?,?,?,?,?)";
    sql += " ON CONFLICT(instrument,tf,ts) DO UPDATE SET open=excluded.open,high=excluded.high,low=excluded.low,"
           "close=excluded.close,volume=excluded.volume,quote_volume=excluded.quote_volume,taker_buy=excluded.taker_buy "
           // A row re-sent with the values it holds is left alone: nothing written, nothing
           // counted as changed (a re-import says so), no WAL page dirtied.
           "WHERE open IS NOT excluded.open OR high IS NOT excluded.high OR low IS NOT excluded.low OR close IS NOT excluded.close "
           "OR volume IS NOT excluded.volume OR quote_volume IS NOT excluded.quote_volume OR taker_buy IS NOT excluded.taker_buy";
    return sql;
}

} // namespace

CandleRowWriter::CandleRowWriter(SqliteConnection &db, const char *table)
    : m_db(db)
    , m_group(db.prepare(upsertSql(table, groupRows).constData(), true))
    , m_single(db.prepare(upsertSql(table, 1).constData(), true))
{
}

void CandleRowWriter::add(qint64 instrument, Timeframe tf, const Candle &c)
{
    m_buffer[m_count++] = {instrument, Timeframes::minutes(tf), c};
    if (m_count < groupRows)
        return;
    m_count = 0; // a failed statement leaves no rows behind for the next transaction
    for (int i = 0; i < groupRows; ++i) {
        const Pending &p = m_buffer[i];
        const int b = i * 10;
        m_group.bind(b + 1, p.instrument)
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
    m_group.exec();
    m_changed += m_db.changes();
}

void CandleRowWriter::flush()
{
    const int n = std::exchange(m_count, 0);
    for (int i = 0; i < n; ++i) {
        const Pending &p = m_buffer[i];
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
