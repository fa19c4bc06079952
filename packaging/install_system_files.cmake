# Runs at install time (install(SCRIPT) in CMakeLists.txt), when the prefix is known: the files
# that belong outside the prefix on a real system. For prefix /usr (the .deb) the config goes
# to /etc/govqm and the unit to /lib/systemd/system; for any other prefix (`cmake --install
# build --prefix DIR`) both stay under it (DIR/etc/govqm, DIR/lib/systemd/system), so an
# install into a scratch prefix writes nothing outside it. DESTDIR applies either way.
# GOVQM_SOURCE_DIR and GOVQM_BINARY_DIR are set by the install(CODE) just before.
if(CMAKE_INSTALL_PREFIX STREQUAL "/usr")
  set(govqm_etc "/etc/govqm")
  set(govqm_units "/lib/systemd/system")
else()
  set(govqm_etc "${CMAKE_INSTALL_PREFIX}/etc/govqm")
  set(govqm_units "${CMAKE_INSTALL_PREFIX}/lib/systemd/system")
endif()

# The unit names the installed binary, documents and config, wherever they are. It is
# written to a directory of its own per install, so that two installs at once (a prefix and
# cpack's staging) never copy each other's unit.
file(READ "${GOVQM_SOURCE_DIR}/packaging/govqm.service" unit)
string(REPLACE "/usr/bin/govqm" "${CMAKE_INSTALL_PREFIX}/bin/govqm" unit "${unit}")
string(REPLACE "/usr/share/" "${CMAKE_INSTALL_PREFIX}/share/" unit "${unit}")
string(REPLACE "/etc/govqm/" "${govqm_etc}/" unit "${unit}")
string(RANDOM LENGTH 16 govqm_tag)
set(govqm_tmp "${GOVQM_BINARY_DIR}/packaging/unit-${govqm_tag}")
file(WRITE "${govqm_tmp}/govqm.service" "${unit}")
file(INSTALL DESTINATION "${govqm_units}" TYPE FILE FILES "${govqm_tmp}/govqm.service")
file(REMOVE_RECURSE "${govqm_tmp}")

# The config: every key commented out, so the defaults hold until an administrator edits it
# (a dpkg conffile: an upgrade never overwrites the edited file).
file(INSTALL DESTINATION "${govqm_etc}" TYPE FILE
     FILES "${GOVQM_SOURCE_DIR}/config/govqm.toml.example" RENAME govqm.toml)
