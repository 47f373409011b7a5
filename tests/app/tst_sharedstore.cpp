#include "mainwindow.h"
#include "marketwindowmodel.h"
#include "pgcluster.h"
#include "sourcecontroller.h"
#include "storage/marketstore.h"
#include "storage/postgres/pgconnection.h"
#include "storage/storereader.h"
#include "storage/storewriter.h"
#include "storefollower.h"
#include "testutil.h"
#include "timesync.h"

#include <QSettings>
#include <QTest>

// Desktops on a shared PostgreSQL store (issue 18): the GUI opened on a libpq locator runs
// no source of its own, never writes to the store, and follows what a recorder (here: a
// writer on another connection, as the recorder process would be) commits: the newest
// bars reach the panes by themselves. Two windows at once both follow. After the server
// drops its connections the window reconnects and keeps following.
class TestSharedStore : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    PgCluster m_cluster;
    QString m_uri;
    const Instrument m_sim = Instrument::parse(QStringLiteral("SIM:BTCUSDT"), QString());

    static std::unique_ptr<MainWindow> open(const QString &uri)
    {
        MainWindow::Options o;
        o.store = StoreLocator(uri);
        o.persistSettings = false;
        o.instrument = QStringLiteral("SIM:BTCUSDT");
        auto w = std::make_unique<MainWindow>(o);
        w->resize(1200, 800);
        w->show();
        return w;
    }

    qint64 writeMark() const
    {
        PgConnection db(m_uri, m_uri);
        return db.scalar("SELECT seq FROM perpscope_writes");
    }

    // A recorder's next minutes: bars after the newest stored one.
    void record(qint64 from, int minutes)
    {
        MarketBatch b;
        b.instrument = m_sim;
        for (int i = 0; i < minutes; ++i) {
            const double p = 95'000 + 10 * i;
            b.candles.push_back({from + i * 60'000LL, p, p + 20, p - 20, p + 10, 12, 12 * p, 6});
        }
        MarketStore::open(StoreLocator(m_uri)).writer()->commit(b);
    }

private slots:
    void initTestCase()
    {
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_dir.filePath(QStringLiteral("settings")));
        QString why;
        QVERIFY2(m_cluster.start(&why), qPrintable(why));
        m_uri = m_cluster.uri();
        const auto r = TestUtil::runPerpscope({QStringLiteral("backfill"), QStringLiteral("--db"), m_uri, QStringLiteral("--source"),
                                               QStringLiteral("sim"), QStringLiteral("--days"), QStringLiteral("1"), QStringLiteral("--seed"),
                                               QStringLiteral("3"), QStringLiteral("--end"), QStringLiteral("2026-01-02")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    }

    void readsFollowsAndNeverWrites()
    {
        const qint64 before = writeMark();
        auto a = open(m_uri);
        auto b = open(m_uri); // a second desktop on the same store
        for (MainWindow *w : {a.get(), b.get()}) {
            QTRY_VERIFY_WITH_TIMEOUT(w->marketModel()->hasData(), 15000);
            // No source of its own on a shared store: it reads what the recorder wrote.
            QCOMPARE(w->sourceController()->name(), SourceController::none());
            QVERIFY(w->storeFollower() && w->storeFollower()->isActive());
            QTRY_COMPARE_WITH_TIMEOUT(w->storeFollower()->state(), QStringLiteral("following"), 10000);
        }
        const qint64 end = a->marketModel()->window().extent.to;
        QVERIFY(end > 0);
        QTest::qWait(1000);
        QCOMPARE(writeMark(), before); // two windows open for a while: not one write

        // The recorder commits three more minutes: both windows show them by themselves.
        record(end, 3);
        for (MainWindow *w : {a.get(), b.get()}) {
            QTRY_COMPARE_WITH_TIMEOUT(w->marketModel()->window().extent.to, end + 3 * 60'000, 10000);
            QVERIFY(w->timeSync()->dataExtent().to >= end + 3 * 60'000);
            const auto &candles = w->marketModel()->window().candles;
            QVERIFY(!candles.isEmpty());
        }
    }

    void reconnectsAfterTheServerDropsIt()
    {
        auto w = open(m_uri);
        QTRY_VERIFY_WITH_TIMEOUT(w->marketModel()->hasData(), 15000);
        QTRY_COMPARE_WITH_TIMEOUT(w->storeFollower()->state(), QStringLiteral("following"), 10000);
        const qint64 end = w->marketModel()->window().extent.to;
        {
            PgConnection admin(m_uri, m_uri);
            admin.exec("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                       "WHERE datname = current_database() AND pid <> pg_backend_pid()");
        }
        QTRY_VERIFY_WITH_TIMEOUT(w->storeFollower()->state().startsWith(QLatin1String("store unreachable")), 10000);
        record(end, 2);
        // Back on its own (the window's readers reconnect on their next query too).
        QTRY_COMPARE_WITH_TIMEOUT(w->storeFollower()->state(), QStringLiteral("following"), 15000);
        QTRY_COMPARE_WITH_TIMEOUT(w->marketModel()->window().extent.to, end + 2 * 60'000, 15000);
    }

    void cleanupTestCase()
    {
        m_cluster.stop();
    }
};

QTEST_MAIN(TestSharedStore)
#include "tst_sharedstore.moc"
