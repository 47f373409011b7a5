#pragma once

// An SQLite VFS for fault injection in tests: it wraps the default (unix) VFS and, when told,
// fails writes the way a full disk (SQLITE_FULL, as ENOSPC gives) or a file system remounted
// read-only (SQLITE_IOERR_WRITE, as EROFS gives) does, either at once or after a budget of
// bytes (a disk that fills up at a random point). Installed as the default VFS, so every
// connection the process opens afterwards goes through it: the code under test is the real
// storage layer. Header-only: each test is its own executable.

#include <sqlite3.h>

#include <atomic>
#include <cstring>

namespace FaultVfs {

enum class Mode { None, DiskFull, ReadOnlyFs };

struct State
{
    std::atomic<Mode> mode{Mode::None};
    std::atomic<long long> budget{-1}; // bytes still writable before the fault starts; -1: at once
    std::atomic<long long> failures{0};
    sqlite3_vfs *real = nullptr;
    sqlite3_vfs vfs{};
    sqlite3_io_methods methods{};
};

inline State &state()
{
    static State s;
    return s;
}

// Faults from now on (budget < 0) or after `budget` more bytes were written.
inline void fail(Mode mode, long long budget = -1)
{
    state().budget = budget;
    state().mode = mode;
}
inline void heal()
{
    state().mode = Mode::None;
}
inline long long failures()
{
    return state().failures;
}

namespace detail {

struct File
{
    sqlite3_file base;
    sqlite3_file *real; // points just past this struct
};

inline sqlite3_file *real(sqlite3_file *f)
{
    return reinterpret_cast<File *>(f)->real;
}

inline int faultFor(int amount)
{
    State &s = state();
    const Mode m = s.mode;
    if (m == Mode::None)
        return SQLITE_OK;
    if (s.budget >= 0) {
        if (s.budget.fetch_sub(amount) - amount >= 0)
            return SQLITE_OK;
        s.budget = -1; // exhausted: the disk is full from now on
    }
    ++s.failures;
    return m == Mode::DiskFull ? SQLITE_FULL : SQLITE_IOERR_WRITE;
}

inline int xClose(sqlite3_file *f)
{
    const int rc = real(f)->pMethods ? real(f)->pMethods->xClose(real(f)) : SQLITE_OK;
    f->pMethods = nullptr;
    return rc;
}
inline int xRead(sqlite3_file *f, void *p, int n, sqlite3_int64 o) { return real(f)->pMethods->xRead(real(f), p, n, o); }
inline int xWrite(sqlite3_file *f, const void *p, int n, sqlite3_int64 o)
{
    if (const int rc = faultFor(n); rc != SQLITE_OK)
        return rc;
    return real(f)->pMethods->xWrite(real(f), p, n, o);
}
inline int xTruncate(sqlite3_file *f, sqlite3_int64 size)
{
    if (state().mode == Mode::ReadOnlyFs)
        return ++state().failures, SQLITE_IOERR_TRUNCATE;
    return real(f)->pMethods->xTruncate(real(f), size);
}
inline int xSync(sqlite3_file *f, int flags) { return real(f)->pMethods->xSync(real(f), flags); }
inline int xFileSize(sqlite3_file *f, sqlite3_int64 *size) { return real(f)->pMethods->xFileSize(real(f), size); }
inline int xLock(sqlite3_file *f, int l) { return real(f)->pMethods->xLock(real(f), l); }
inline int xUnlock(sqlite3_file *f, int l) { return real(f)->pMethods->xUnlock(real(f), l); }
inline int xCheckReservedLock(sqlite3_file *f, int *out) { return real(f)->pMethods->xCheckReservedLock(real(f), out); }
inline int xFileControl(sqlite3_file *f, int op, void *arg) { return real(f)->pMethods->xFileControl(real(f), op, arg); }
inline int xSectorSize(sqlite3_file *f) { return real(f)->pMethods->xSectorSize(real(f)); }
inline int xDeviceCharacteristics(sqlite3_file *f) { return real(f)->pMethods->xDeviceCharacteristics(real(f)); }
inline int xShmMap(sqlite3_file *f, int pg, int sz, int extend, void volatile **pp)
{
    return real(f)->pMethods->xShmMap(real(f), pg, sz, extend, pp);
}
inline int xShmLock(sqlite3_file *f, int offset, int n, int flags) { return real(f)->pMethods->xShmLock(real(f), offset, n, flags); }
inline void xShmBarrier(sqlite3_file *f) { real(f)->pMethods->xShmBarrier(real(f)); }
inline int xShmUnmap(sqlite3_file *f, int deleteFlag) { return real(f)->pMethods->xShmUnmap(real(f), deleteFlag); }
// No memory-mapped I/O through the shim: every write must pass xWrite.
inline int xFetch(sqlite3_file *, sqlite3_int64, int, void **pp)
{
    *pp = nullptr;
    return SQLITE_OK;
}
inline int xUnfetch(sqlite3_file *, sqlite3_int64, void *) { return SQLITE_OK; }

inline int xOpen(sqlite3_vfs *, sqlite3_filename name, sqlite3_file *f, int flags, int *outFlags)
{
    State &s = state();
    auto *file = reinterpret_cast<File *>(f);
    file->real = reinterpret_cast<sqlite3_file *>(file + 1);
    std::memset(file->real, 0, size_t(s.real->szOsFile));
    const int rc = s.real->xOpen(s.real, name, file->real, flags, outFlags);
    f->pMethods = file->real->pMethods ? &s.methods : nullptr;
    return rc;
}

} // namespace detail

// Makes the fault VFS the default for every connection opened from now on.
inline void install()
{
    State &s = state();
    if (s.real)
        return;
    s.real = sqlite3_vfs_find(nullptr);
    s.methods = {3,
                 detail::xClose,
                 detail::xRead,
                 detail::xWrite,
                 detail::xTruncate,
                 detail::xSync,
                 detail::xFileSize,
                 detail::xLock,
                 detail::xUnlock,
                 detail::xCheckReservedLock,
                 detail::xFileControl,
                 detail::xSectorSize,
                 detail::xDeviceCharacteristics,
                 detail::xShmMap,
                 detail::xShmLock,
                 detail::xShmBarrier,
                 detail::xShmUnmap,
                 detail::xFetch,
                 detail::xUnfetch};
    s.vfs = *s.real;
    s.vfs.zName = "perpscope-fault";
    s.vfs.szOsFile = int(sizeof(detail::File)) + s.real->szOsFile;
    s.vfs.xOpen = detail::xOpen;
    s.vfs.pNext = nullptr;
    sqlite3_vfs_register(&s.vfs, 1);
}

} // namespace FaultVfs
