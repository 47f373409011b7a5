#include "sources/sim/accountbook.h"
#include "sources/sim/simunits.h"

#include <QtTest>

#include <random>

// The exchange ledger: integer money and lots, so the audit must balance exactly.
class TestAccountBook : public QObject
{
    Q_OBJECT

private slots:
    void isolatedOpenDepositsMarginAndFilesTheLiquidationPrice()
    {
        AccountBook book;
        const quint32 mm = book.open(AccountBook::Kind::MarketMaker, false, false, 1, SimUnits::micro(1e9));
        const quint32 a = book.open(AccountBook::Kind::Momentum, true, true, 20);
        // Buy 1 coin at 100,000 from the maker.
        book.applyFill(a, 1000, 100'000LL * 1000, 0.0004);
        book.applyFill(mm, -1000, 100'000LL * 1000, 0.0);
        book.refreshLiquidation(a);
        QCOMPARE(book[a].wallet, SimUnits::micro(5000)); // notional / 20
        QCOMPARE(book.fees(), SimUnits::micro(40));
        QCOMPARE(book.openInterestLots(), qint64(1000));
        QVERIFY(qAbs(book[a].liqPrice - 95'427.14) < 0.01); // the worked example
        QCOMPARE(book.longLiquidations().front().id, a);
        QCOMPARE(book.audit().imbalance, qint64(0));
        // Close at a profit and leave.
        book.applyFill(a, -1000, 101'000LL * 1000, 0.0004);
        book.applyFill(mm, 1000, 101'000LL * 1000, 0.0);
        book.refreshLiquidation(a);
        QCOMPARE(book[a].wallet, SimUnits::micro(6000));
        QVERIFY(book.longLiquidations().isEmpty());
        book.release(a);
        QCOMPARE(book.openInterestLots(), qint64(0));
        QCOMPARE(book.audit().imbalance, qint64(0));
    }

    void randomTradingFundingAndFlipsKeepTheLedgerExact()
    {
        AccountBook book;
        std::mt19937_64 rng(11);
        std::vector<quint32> ids;
        ids.push_back(book.open(AccountBook::Kind::MarketMaker, false, false, 1, SimUnits::micro(1e9)));
        ids.push_back(book.open(AccountBook::Kind::Arbitrageur, false, false, 1, SimUnits::micro(1e8)));
        for (int i = 0; i < 50; ++i)
            ids.push_back(book.open(AccountBook::Kind::Noise, true, true, double(2 + i % 50)));
        std::uniform_int_distribution<size_t> pick(0, ids.size() - 1);
        std::uniform_int_distribution<qint64> lots(1, 5000);
        std::uniform_int_distribution<int> tick(90'000, 110'000);
        for (int n = 0; n < 20'000; ++n) {
            const quint32 a = ids[pick(rng)], b = ids[pick(rng)];
            if (a == b)
                continue;
            const qint64 q = lots(rng) * (n % 2 ? 1 : -1);
            const qint64 quote = qint64(tick(rng)) * qAbs(q);
            book.applyFill(a, q, quote, 0.0004);
            book.applyFill(b, -q, quote, 0.0002);
            book.refreshLiquidation(a);
            book.refreshLiquidation(b);
            if (n % 5000 == 4999)
                book.settleFunding(n % 2 ? 0.0001 : -0.00037, 100'123.45);
            const AccountBook::Audit audit = book.audit();
            QCOMPARE(audit.imbalance, qint64(0));
            QCOMPARE(audit.longLots, audit.shortLots);
            QCOMPARE(audit.runningOi, audit.longLots);
        }
        // Liquidation prices on file are exactly those of the bracket formula.
        int listed = 0;
        book.forEachAlive([&](quint32 id, const AccountBook::Account &a) {
            if (!a.liquidatable || a.lots == 0 || a.liqPrice <= 0)
                return;
            ++listed;
            const double lp = book.brackets().liquidationPrice(a.side(), SimUnits::coins(qAbs(a.lots)), a.entry(), SimUnits::usd(a.wallet));
            QCOMPARE(a.liqPrice, lp);
            (void)id;
        });
        QVERIFY(listed > 0);
    }

    void fundingMovesMoneyFromLongsToShorts()
    {
        AccountBook book;
        const quint32 l = book.open(AccountBook::Kind::Momentum, true, true, 10);
        const quint32 s = book.open(AccountBook::Kind::Momentum, true, true, 10);
        book.applyFill(l, 2000, 100'000LL * 2000, 0);
        book.applyFill(s, -2000, 100'000LL * 2000, 0);
        const qint64 before = book[l].wallet;
        const double lpBefore = book[l].liqPrice;
        book.refreshLiquidation(l);
        const qint64 gross = book.settleFunding(0.001, 100'000);
        QCOMPARE(gross, 2 * SimUnits::micro(200)); // 0.1 % of 200,000 each way
        QCOMPARE(book[l].wallet, before - SimUnits::micro(200));
        QCOMPARE(book[s].wallet, before + SimUnits::micro(200));
        QVERIFY(book[l].liqPrice > lpBefore); // the long's margin shrank: its LP crept up
        QCOMPARE(book.fundingResidual(), qint64(0));
        QCOMPARE(book.audit().imbalance, qint64(0));
    }
};

QTEST_GUILESS_MAIN(TestAccountBook)
#include "tst_accountbook.moc"
