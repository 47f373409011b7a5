#pragma once

#include <QString>
#include <stdexcept>

// Thrown by the storage layer; what() is a complete sentence for the user (it names the
// database file and what is wrong), so callers can print it as is. kind() says whether the
// same write may succeed later: the ingest worker keeps a batch and retries it when the
// store is only unavailable (disk full, read-only, locked, I/O error), and drops it with a
// message when the batch itself was rejected.
class StoreError : public std::runtime_error
{
public:
    enum class Kind {
        Other,       // a corrupt or foreign file, a programming error: retrying will not help
        Rejected,    // the batch holds rows no source should produce
        Unavailable, // the disk is full, the file or folder is read-only, locked, an I/O error
    };

    explicit StoreError(const QString &message, Kind kind = Kind::Other)
        : std::runtime_error(message.toStdString())
        , m_kind(kind)
    {
    }
    QString message() const { return QString::fromStdString(what()); }
    Kind kind() const { return m_kind; }
    bool isRetryable() const { return m_kind == Kind::Unavailable; }

private:
    Kind m_kind;
};
