#include "storelocator.h"

#include <QRegularExpression>
#include <QUrl>

StoreLocator::StoreLocator(const QString &text)
    : m_text(text)
{
    if (text.isEmpty()) {
        m_error = QStringLiteral("no database given (a file path, or a postgresql:// URI)");
        return;
    }
    static const QRegularExpression scheme(QStringLiteral("^([A-Za-z][A-Za-z0-9+.-]*)://"));
    const QRegularExpressionMatch m = scheme.match(text);
    if (!m.hasMatch()) {
        m_backend = Backend::Sqlite;
        return;
    }
    const QString name = m.captured(1).toLower();
    if (name != QLatin1String("postgresql") && name != QLatin1String("postgres")) {
        m_error = QStringLiteral("database %1: unknown kind of store '%2' (expected a file path for SQLite, or a PostgreSQL URI "
                                 "postgresql://user@host/db or postgresql:///db?host=/run/postgresql)")
                      .arg(text, m.captured(1));
        return;
    }
    const QUrl url(text, QUrl::StrictMode);
    if (!url.isValid()) {
        m_error = QStringLiteral("database %1: not a valid PostgreSQL URI (%2); expected postgresql://user@host/db or "
                                 "postgresql:///db?host=/run/postgresql")
                      .arg(display(), url.errorString());
        return;
    }
    m_backend = Backend::PostgreSql;
}

QString StoreLocator::display() const
{
    if (m_text.isEmpty() || isSqlite())
        return m_text;
    QUrl url(m_text);
    if (!url.isValid() || url.password().isEmpty())
        return m_text.contains(QLatin1Char('@')) && !url.isValid() ? QStringLiteral("(an unreadable PostgreSQL URI)") : m_text;
    url.setPassword(QString());
    return url.toString();
}
