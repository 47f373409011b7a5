#include "liquidationtapemodel.h"

#include "domain/timeformat.h"

#include <QDateTime>
#include <QLocale>

void LiquidationTapeModel::setRows(const QVector<Liquidation> &newestFirst, const QStringList &venues)
{
    if (newestFirst == m_rows && venues == m_venues)
        return;
    beginResetModel();
    m_rows = newestFirst;
    m_venues = venues;
    endResetModel();
}

void LiquidationTapeModel::setSideColors(const QColor &longLiquidated, const QColor &shortLiquidated)
{
    m_long = longLiquidated;
    m_short = shortLiquidated;
    if (!m_rows.isEmpty())
        emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1), {Qt::ForegroundRole});
}

int LiquidationTapeModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int LiquidationTapeModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant LiquidationTapeModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const Liquidation &l = m_rows.at(index.row());
    const QLocale c = QLocale::c();
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case Time: return QDateTime::fromMSecsSinceEpoch(l.ts, Qt::UTC).toString(QStringLiteral("MM-dd HH:mm:ss"));
        case Side: return l.side == Liquidation::Side::Long ? tr("Long") : tr("Short");
        case Price: return c.toString(l.price, 'f', l.price >= 1000 ? 1 : 4);
        case Quantity: return c.toString(l.qty, 'g', 6);
        case Notional: return QStringLiteral("$") + c.toString(l.notional(), 'f', 0);
        case Venue: return index.row() < m_venues.size() ? m_venues.at(index.row()) : QString();
        }
    } else if (role == Qt::ForegroundRole && (index.column() == Side || index.column() == Notional)) {
        const QColor &col = l.side == Liquidation::Side::Long ? m_long : m_short;
        if (col.isValid())
            return col;
    } else if (role == Qt::TextAlignmentRole) {
        return int(index.column() >= Price ? Qt::AlignRight | Qt::AlignVCenter : Qt::AlignLeft | Qt::AlignVCenter);
    } else if (role == Qt::ToolTipRole) {
        return tr("%1 liquidation at %2, %3 (%4)")
            .arg(Liquidation::sideName(l.side), TimeFormat::iso(l.ts))
            .arg(l.price)
            .arg(l.inExchangeFeed ? tr("in the exchange feed") : tr("full tape only"));
    }
    return {};
}

QVariant LiquidationTapeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Time: return tr("Time (UTC)");
    case Side: return tr("Side");
    case Price: return tr("Price");
    case Quantity: return tr("Size");
    case Notional: return tr("Notional");
    case Venue: return tr("Venue");
    }
    return {};
}
