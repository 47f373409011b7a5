#pragma once

#include <QString>
#include <stdexcept>

// Thrown by the storage layer; what() is a complete sentence for the user (it names the
// database file and what is wrong), so callers can print it as is.
class StoreError : public std::runtime_error
{
public:
    explicit StoreError(const QString &message)
        : std::runtime_error(message.toStdString())
    {
    }
    QString message() const { return QString::fromStdString(what()); }
};
