# The Debian package: `cmake --build build --target package` writes build/perpscope_<version>_<arch>.deb.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME perpscope)
set(CPACK_PACKAGE_VENDOR "Perpscope")
set(CPACK_PACKAGE_CONTACT "Perpscope developers <dev@perpscope.org>")
set(CPACK_PACKAGE_HOMEPAGE_URL ${PROJECT_HOMEPAGE_URL})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "leverage analytics for crypto perpetual futures")
# CPack turns the empty line into the " ." paragraph break of debian/control.
set(CPACK_PACKAGE_DESCRIPTION "Perpscope is a desktop application for reading leverage in crypto
perpetual-futures markets. Price, funding rate, open interest and liquidations
(realized prints over a predicted liquidation heatmap) sit in dockable panes on
one shared time axis, to tell a leverage flush from a spot-led move and to see
where leveraged positions are still stacked.

It runs offline on a built-in market simulator, imports exchange history files
and streams live exchange data into a local SQLite history; a command line
backfills and exports for scripts.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_PACKAGE_DIRECTORY ${CMAKE_BINARY_DIR})
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_COMPRESSION_TYPE xz)
# dpkg-shlibdeps finds the linked libraries (Qt, QCustomPlot, libstdc++...) but not plugins
# loaded at run time. The SVG icon engine and image plugin (window and About icons) come with
# libqt6svg6, which shlibdeps lists anyway because the SVG export links QtSvg (package_deb
# checks it stays there; name it here if that link ever goes); the xcb and offscreen platform
# plugins come with libqt6gui6. No Qt SQL driver is needed: the store uses libsqlite3 directly.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "qt6-wayland")
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS OFF)

set(CPACK_SOURCE_GENERATOR TXZ)
set(CPACK_SOURCE_IGNORE_FILES "/\\\\.git/" "/build[^/]*/" "\\\\.user$")

include(CPack)
