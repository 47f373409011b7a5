#pragma once

#include "domain/liquidation.h"

#include <QAbstractTableModel>
#include <QColor>
#include <QStringList>
#include <QVector>

// The liquidation tape: newest print first, as a table (time, side, price, size, notional,
// and for an aggregate the venue of each print).
class LiquidationTapeModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Time, Side, Price, Quantity, Notional, Venue, ColumnCount };

    using QAbstractTableModel::QAbstractTableModel;

    // venues: one per row (an aggregate's tape), or empty (one venue: the column stays empty).
    void setRows(const QVector<Liquidation> &newestFirst, const QStringList &venues = {});
    void setSideColors(const QColor &longLiquidated, const QColor &shortLiquidated);
    const Liquidation &row(int r) const { return m_rows.at(r); }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QVector<Liquidation> m_rows;
    QStringList m_venues;
    QColor m_long;
    QColor m_short;
};
