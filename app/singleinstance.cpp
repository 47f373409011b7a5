#include "singleinstance.h"

#include <QCryptographicHash>
#include <QDataStream>
#include <QDeadlineTimer>
#include <QDir>
#include <QFileInfo>
#include <QGuiApplication>
#include <QLocalServer>
#include <QLocalSocket>
#include <QLoggingCategory>
#include <QStandardPaths>
#include <QThread>

Q_LOGGING_CATEGORY(lcSingleInstance, "perpscope.singleinstance")

namespace {

constexpr quint32 magic = 0x50534331; // "PSC1": the hand-over format, version 1
constexpr char ack = 'K';
constexpr int connectMs = 5000;  // the primary may still be between locking and listening
constexpr int answerMs = 10000;  // its event loop may be busy for a moment

// The same name for the same file however it is spelled, also before it exists (the first
// launch creates it): symbolic links are resolved in the part of the path that exists.
QString canonicalDatabase(const QString &path)
{
    QString existing = QDir::cleanPath(QFileInfo(path).absoluteFilePath());
    QStringList missing;
    while (!QFileInfo::exists(existing) && QFileInfo(existing).path() != existing) {
        missing.prepend(QFileInfo(existing).fileName());
        existing = QFileInfo(existing).path();
    }
    QString canonical = QFileInfo(existing).canonicalFilePath();
    if (canonical.isEmpty())
        canonical = existing;
    return missing.isEmpty() ? canonical : QDir::cleanPath(canonical + QLatin1Char('/') + missing.join(QLatin1Char('/')));
}

QString runtimeDirectory()
{
    // XDG_RUNTIME_DIR is private to the user; without it Qt falls back to /tmp/runtime-$USER
    // (also 0700), and only a missing location leaves the shared temp dir.
    QString dir = QStandardPaths::writableLocation(QStandardPaths::RuntimeLocation);
    if (dir.isEmpty() || !QDir().mkpath(dir))
        dir = QDir::tempPath();
    return dir;
}

QString baseName(const QString &database)
{
    const QByteArray hash = QCryptographicHash::hash(database.toUtf8(), QCryptographicHash::Sha256).toHex().left(16);
    return runtimeDirectory() + QStringLiteral("/perpscope-") + QString::fromLatin1(hash);
}

} // namespace

SingleInstance::SingleInstance(const StoreLocator &store, QObject *parent)
    : QObject(parent)
    , m_database(store.isSqlite() ? canonicalDatabase(store.filePath()) : store.text())
    , m_base(baseName(m_database))
    , m_lock(lockPath())
{
    // A live primary keeps its lock however old it is; only a dead owner makes it stale.
    m_lock.setStaleLockTime(0);
}

SingleInstance::~SingleInstance()
{
    if (m_server)
        m_server->close(); // removes the socket file before the lock goes
}

SingleInstance::Role SingleInstance::acquire()
{
    if (!m_lock.tryLock(0)) {
        if (m_lock.error() == QLockFile::LockFailedError)
            return Role::Secondary;
        qCWarning(lcSingleInstance, "cannot create %s; running without the single-instance guard", qPrintable(lockPath()));
        return Role::Alone;
    }
    m_server = new QLocalServer(this);
    m_server->setSocketOptions(QLocalServer::UserAccessOption);
    QLocalServer::removeServer(socketPath()); // left behind by a crashed primary; the lock is ours now
    if (!m_server->listen(socketPath())) {
        qCWarning(lcSingleInstance, "cannot listen on %s (%s); later launches will not find this window",
                  qPrintable(socketPath()), qPrintable(m_server->errorString()));
        delete m_server;
        m_server = nullptr;
        return Role::Alone;
    }
    connect(m_server, &QLocalServer::newConnection, this, &SingleInstance::onNewConnection);
    return Role::Primary;
}

bool SingleInstance::handOver(const QStringList &files, QString *error)
{
    QStringList absolute;
    for (const QString &f : files)
        absolute << QFileInfo(f).absoluteFilePath();

    QLocalSocket socket;
    // The lock is taken a moment before the primary listens: retry until it answers.
    const QDeadlineTimer deadline(connectMs);
    for (;;) {
        socket.connectToServer(socketPath());
        if (socket.waitForConnected(1000))
            break;
        if (deadline.hasExpired()) {
            qint64 pid = 0;
            QString host, app;
            m_lock.getLockInfo(&pid, &host, &app);
            *error = QStringLiteral("another Perpscope (pid %1) holds %2 but does not answer on %3: %4")
                         .arg(pid)
                         .arg(lockPath(), socketPath(), socket.errorString());
            return false;
        }
        QThread::msleep(100);
    }

    QByteArray message;
    QDataStream out(&message, QIODevice::WriteOnly);
    out.setVersion(QDataStream::Qt_6_4);
    // Wayland lets a window take the focus only with the activation token the launcher gave
    // the process that was started: this one. The primary uses it for its window.
    out << magic << absolute << qEnvironmentVariable("XDG_ACTIVATION_TOKEN");
    socket.write(message);
    if (!socket.waitForBytesWritten(answerMs) && socket.bytesToWrite() > 0) {
        *error = QStringLiteral("cannot hand over to the running Perpscope: %1").arg(socket.errorString());
        return false;
    }
    while (socket.bytesAvailable() < 1) {
        if (!socket.waitForReadyRead(answerMs)) {
            *error = QStringLiteral("the running Perpscope did not confirm the hand-over: %1").arg(socket.errorString());
            return false;
        }
    }
    char reply = 0;
    socket.getChar(&reply);
    socket.disconnectFromServer();
    if (reply != ack) {
        *error = QStringLiteral("the running Perpscope refused the hand-over");
        return false;
    }
    return true;
}

void SingleInstance::onNewConnection()
{
    while (QLocalSocket *socket = m_server->nextPendingConnection()) {
        connect(socket, &QLocalSocket::disconnected, socket, &QObject::deleteLater);
        connect(socket, &QLocalSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
        if (socket->bytesAvailable() > 0)
            onReadyRead(socket);
    }
}

void SingleInstance::onReadyRead(QLocalSocket *socket)
{
    QDataStream in(socket);
    in.setVersion(QDataStream::Qt_6_4);
    in.startTransaction();
    quint32 tag = 0;
    QStringList files;
    in >> tag;
    if (in.status() == QDataStream::Ok && tag != magic) {
        qCWarning(lcSingleInstance, "ignoring a connection on %s that is not a Perpscope hand-over", qPrintable(socketPath()));
        in.abortTransaction();
        socket->abort();
        return;
    }
    QString token;
    in >> files >> token;
    if (!in.commitTransaction())
        return; // the rest has not arrived yet
    socket->putChar(ack);
    socket->flush();
    socket->disconnectFromServer();
    qCInfo(lcSingleInstance, "raised by another launch%s; files to import: %d%s%s", token.isEmpty() ? "" : " (with an activation token)",
           int(files.size()), files.isEmpty() ? "" : ": ", qPrintable(files.join(QStringLiteral(", "))));
    // QtWayland's QWindow::requestActivate() consumes XDG_ACTIVATION_TOKEN from the environment.
    if (!token.isEmpty() && QGuiApplication::platformName() == QLatin1String("wayland"))
        qputenv("XDG_ACTIVATION_TOKEN", token.toUtf8());
    emit activationRequested(files);
}
