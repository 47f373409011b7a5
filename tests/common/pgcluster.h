#pragma once

#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>
#include <QString>
#include <QTemporaryDir>

#include <algorithm>

#include <pwd.h>
#include <unistd.h>

// A throwaway PostgreSQL cluster for a test: initdb in a temporary folder, a server that
// listens on a Unix socket in that folder only (no TCP port), one database, stopped and
// removed at the end. PostgreSQL refuses to run as root, so under root (CI containers) the
// server runs as the unprivileged user `nobody`, which then owns the folder. start() says
// why when it cannot start, and the test fails with that (it never skips silently).
class PgCluster
{
public:
    PgCluster() = default;
    PgCluster(const PgCluster &) = delete;
    PgCluster &operator=(const PgCluster &) = delete;
    ~PgCluster() { stop(); }

    bool start(QString *why)
    {
        m_bin = binDir();
        if (m_bin.isEmpty())
            return fail(why, QStringLiteral("no PostgreSQL server binaries (initdb, pg_ctl) under /usr/lib/postgresql/*/bin or on "
                                            "PATH: install postgresql-15 (packaging/install-deps.sh)"));
        if (!m_dir.isValid())
            return fail(why, QStringLiteral("cannot create a temporary folder"));
        m_data = m_dir.filePath(QStringLiteral("data"));
        if (::geteuid() == 0) {
            const passwd *pw = ::getpwnam("nobody");
            if (!pw)
                return fail(why, QStringLiteral("running as root and there is no user 'nobody' to run PostgreSQL as"));
            m_runAs = QStringLiteral("nobody");
            if (::chown(QFile::encodeName(m_dir.path()).constData(), pw->pw_uid, pw->pw_gid) != 0)
                return fail(why, QStringLiteral("cannot give %1 to the user nobody").arg(m_dir.path()));
        }
        QString out;
        if (!run(QStringLiteral("initdb"),
                 {QStringLiteral("-D"), m_data, QStringLiteral("-U"), user(), QStringLiteral("--auth=trust"), QStringLiteral("-E"),
                  QStringLiteral("UTF8"), QStringLiteral("--no-locale"), QStringLiteral("--no-sync")},
                 &out))
            return fail(why, QStringLiteral("initdb failed: ") + out);
        // Unix socket in our folder only; fsync off: a test's cluster never outlives a crash.
        const QString options = QStringLiteral("-c listen_addresses='' -c unix_socket_directories='%1' -c fsync=off "
                                               "-c synchronous_commit=off -c full_page_writes=off")
                                    .arg(m_dir.path());
        if (!run(QStringLiteral("pg_ctl"),
                 {QStringLiteral("-D"), m_data, QStringLiteral("-o"), options, QStringLiteral("-l"), m_dir.filePath(QStringLiteral("server.log")),
                  QStringLiteral("-w"), QStringLiteral("-t"), QStringLiteral("60"), QStringLiteral("start")},
                 &out))
            return fail(why, QStringLiteral("the server did not start: ") + out + log());
        m_running = true;
        if (!run(QStringLiteral("createdb"), {QStringLiteral("-h"), m_dir.path(), QStringLiteral("-U"), user(), database()}, &out))
            return fail(why, QStringLiteral("createdb failed: ") + out);
        return true;
    }

    // Stops the server (fast shutdown: it waits for nothing but its own checkpoint).
    void stop()
    {
        if (!m_running)
            return;
        m_running = false;
        QString out;
        run(QStringLiteral("pg_ctl"), {QStringLiteral("-D"), m_data, QStringLiteral("-m"), QStringLiteral("fast"), QStringLiteral("-w"),
                                       QStringLiteral("stop")},
            &out);
    }
    // Restarts the server on the same folder and socket (for fault tests).
    bool restart(QString *why)
    {
        stop();
        QString out;
        const QString options = QStringLiteral("-c listen_addresses='' -c unix_socket_directories='%1' -c fsync=off").arg(m_dir.path());
        if (!run(QStringLiteral("pg_ctl"), {QStringLiteral("-D"), m_data, QStringLiteral("-o"), options, QStringLiteral("-l"),
                                            m_dir.filePath(QStringLiteral("server.log")), QStringLiteral("-w"), QStringLiteral("start")},
                 &out))
            return fail(why, QStringLiteral("the server did not restart: ") + out + log());
        m_running = true;
        return true;
    }

    static QString user() { return QStringLiteral("perpscope"); }
    static QString database() { return QStringLiteral("perpscope"); }
    QString socketDir() const { return m_dir.path(); }
    // The libpq URI of the database (a store locator).
    QString uri(const QString &db = database()) const
    {
        return QStringLiteral("postgresql:///%1?host=%2&user=%3").arg(db, m_dir.path(), user());
    }
    // Creates another database in the cluster (one per test case keeps them apart).
    bool createDatabase(const QString &name, QString *why)
    {
        QString out;
        if (!run(QStringLiteral("createdb"), {QStringLiteral("-h"), m_dir.path(), QStringLiteral("-U"), user(), name}, &out))
            return fail(why, QStringLiteral("createdb %1 failed: ").arg(name) + out);
        return true;
    }

private:
    static QString binDir()
    {
        QDir versions(QStringLiteral("/usr/lib/postgresql"));
        QStringList names = versions.entryList(QDir::Dirs | QDir::NoDotAndDotDot);
        std::sort(names.begin(), names.end(), [](const QString &a, const QString &b) { return a.toInt() > b.toInt(); });
        for (const QString &v : std::as_const(names)) {
            const QString bin = versions.filePath(v + QStringLiteral("/bin"));
            if (QFileInfo(bin + QStringLiteral("/initdb")).isExecutable() && QFileInfo(bin + QStringLiteral("/pg_ctl")).isExecutable())
                return bin;
        }
        const QString initdb = QStandardPaths::findExecutable(QStringLiteral("initdb"));
        return initdb.isEmpty() ? QString() : QFileInfo(initdb).absolutePath();
    }

    bool run(const QString &tool, const QStringList &args, QString *out) const
    {
        QProcess p;
        p.setProcessChannelMode(QProcess::MergedChannels);
        const QString exe = m_bin + QLatin1Char('/') + tool;
        if (m_runAs.isEmpty())
            p.start(exe, args);
        else
            p.start(QStringLiteral("runuser"), QStringList{QStringLiteral("-u"), m_runAs, QStringLiteral("--"), exe} + args);
        if (!p.waitForStarted(10000)) {
            *out = QStringLiteral("%1 did not start (%2)").arg(exe, p.errorString());
            return false;
        }
        if (!p.waitForFinished(120000)) {
            p.kill();
            p.waitForFinished();
            *out = QStringLiteral("%1 did not finish in 2 minutes").arg(tool);
            return false;
        }
        *out = QString::fromLocal8Bit(p.readAll()).trimmed();
        return p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
    }

    QString log() const
    {
        QFile f(m_dir.filePath(QStringLiteral("server.log")));
        return f.open(QIODevice::ReadOnly) ? QStringLiteral("; server log: ") + QString::fromLocal8Bit(f.readAll()).right(2000) : QString();
    }

    static bool fail(QString *why, const QString &reason)
    {
        *why = QStringLiteral("PostgreSQL test cluster: ") + reason;
        return false;
    }

    QTemporaryDir m_dir;
    QString m_bin;
    QString m_data;
    QString m_runAs;
    bool m_running = false;
};
