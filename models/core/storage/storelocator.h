#pragma once

#include <QHash>
#include <QMetaType>
#include <QString>

// Where a store lives, as the user names it (--db, the GUI's settings, a dragged range): a
// file path (SQLite, the embedded default) or a libpq URI (PostgreSQL, a shared server store:
// postgresql://user@host/db, postgresql:///db?host=/run/postgresql). Everything outside
// storage/ holds a locator or a MarketStore opened from one, never a file path or a
// connection, so a new backend changes nothing there.
//
// Converting text parses it and never throws: text that names no usable store gives an
// invalid locator whose error() says why, and MarketStore refuses it with that message (so
// a QString from the command line or a test goes through the same parse everywhere).
class StoreLocator
{
public:
    enum class Backend { None, Sqlite, PostgreSql };

    StoreLocator() = default;
    StoreLocator(const QString &text); // NOLINT(google-explicit-constructor): see above
    StoreLocator(const char *text) : StoreLocator(QString::fromUtf8(text)) {}
    static StoreLocator parse(const QString &text) { return StoreLocator(text); }

    Backend backend() const { return m_backend; }
    bool isValid() const { return m_backend != Backend::None; }
    bool isSqlite() const { return m_backend == Backend::Sqlite; }
    bool isPostgreSql() const { return m_backend == Backend::PostgreSql; }
    // Why the text names no store (empty for a valid locator).
    const QString &error() const { return m_error; }

    // The text as given; parse(text()) gives this locator back (for settings, drag payloads).
    const QString &text() const { return m_text; }
    // The SQLite file (empty for other backends).
    QString filePath() const { return isSqlite() ? m_text : QString(); }
    // For messages: the file path, or the URI with any password left out.
    QString display() const;

    friend bool operator==(const StoreLocator &a, const StoreLocator &b) { return a.m_backend == b.m_backend && a.m_text == b.m_text; }
    friend bool operator!=(const StoreLocator &a, const StoreLocator &b) { return !(a == b); }
    friend size_t qHash(const StoreLocator &l, size_t seed = 0) { return qHash(l.m_text, seed); }

private:
    Backend m_backend = Backend::None;
    QString m_text;
    QString m_error;
};

Q_DECLARE_METATYPE(StoreLocator)
