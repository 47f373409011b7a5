#pragma once

#include "storage/storelocator.h"

#include <QLockFile>
#include <QObject>
#include <QStringList>

class QLocalServer;
class QLocalSocket;

// One Perpscope window per user and database. The first launch (the primary) holds a lock
// file and listens on a local socket next to it; a later launch on the same database finds
// the lock taken, hands its file arguments to the primary and exits. The primary then
// raises its window and imports the files.
//
// The hand-over also carries the second launch's XDG_ACTIVATION_TOKEN, without which a
// Wayland compositor does not let the running window take the focus.
//
// Both files live in the user's runtime directory (XDG_RUNTIME_DIR, private to the user).
// QLockFile notices a lock left by a crashed primary and takes it over, so a crash never
// blocks the next launch.
class SingleInstance : public QObject
{
    Q_OBJECT
public:
    enum class Role {
        Primary,   // we hold the lock and listen for later launches
        Secondary, // another live process holds the lock: call handOver() and exit
        Alone      // the lock or socket cannot be created here: run without the guard
    };

    // What is shared: the store (an SQLite file's path made absolute and canonical here, a
    // PostgreSQL URI as given).
    explicit SingleInstance(const StoreLocator &store, QObject *parent = nullptr);
    ~SingleInstance() override;

    Role acquire();
    // Secondary only: sends the files (made absolute against our working directory) and
    // waits until the primary confirms it has them. On failure fills *error and returns false.
    bool handOver(const QStringList &files, QString *error);

    QString lockPath() const { return m_base + QStringLiteral(".lock"); }
    QString socketPath() const { return m_base + QStringLiteral(".socket"); }
    QString databaseKey() const { return m_database; }

signals:
    // Primary: another launch asked to be raised and to import these absolute paths.
    void activationRequested(const QStringList &files);

private:
    void onNewConnection();
    void onReadyRead(QLocalSocket *socket);

    QString m_database;
    QString m_base; // runtime dir + "/perpscope-<hash of the database path>"
    QLockFile m_lock;
    QLocalServer *m_server = nullptr;
};
