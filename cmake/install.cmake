# cmake --install: the command, the shared library and its public headers, the
# CMake package (find_package(guestaddr), target guestaddr::guestaddr), the
# pkg-config file, the man pages and the bash completion. GNUInstallDirs
# places them (lib/x86_64-linux-gnu on Debian, ...).
include(CMakePackageConfigHelpers)

install(TARGETS guestaddr_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(TARGETS guestaddr EXPORT guestaddrTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} NAMELINK_COMPONENT Development
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
# The public headers only: everything under src/ stays inside.
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/guestaddr DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
  FILES_MATCHING PATTERN "*.hpp")

set(GUESTADDR_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/guestaddr)
install(EXPORT guestaddrTargets NAMESPACE guestaddr:: DESTINATION ${GUESTADDR_CMAKE_DIR})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/guestaddrConfig.cmake.in
  ${PROJECT_BINARY_DIR}/guestaddrConfig.cmake INSTALL_DESTINATION ${GUESTADDR_CMAKE_DIR})
# 0.x: a minor version may change the API (as the SONAME says); from 1.0 on, the major.
if(PROJECT_VERSION_MAJOR EQUAL 0)
  set(guestaddr_compatibility SameMinorVersion)
else()
  set(guestaddr_compatibility SameMajorVersion)
endif()
write_basic_package_version_file(${PROJECT_BINARY_DIR}/guestaddrConfigVersion.cmake
  COMPATIBILITY ${guestaddr_compatibility})
install(FILES ${PROJECT_BINARY_DIR}/guestaddrConfig.cmake ${PROJECT_BINARY_DIR}/guestaddrConfigVersion.cmake
  DESTINATION ${GUESTADDR_CMAKE_DIR})

set(GUESTADDR_PKGCONFIG_DIR ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
file(RELATIVE_PATH GUESTADDR_PC_TO_PREFIX
  ${CMAKE_INSTALL_PREFIX}/${GUESTADDR_PKGCONFIG_DIR} ${CMAKE_INSTALL_PREFIX})
string(REGEX REPLACE "/$" "" GUESTADDR_PC_TO_PREFIX "${GUESTADDR_PC_TO_PREFIX}")
configure_file(${PROJECT_SOURCE_DIR}/cmake/guestaddr.pc.in ${PROJECT_BINARY_DIR}/guestaddr.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/guestaddr.pc DESTINATION ${GUESTADDR_PKGCONFIG_DIR})

# Man pages: help2man (Debian help2man, a small Perl script) turns the
# command's own --help of each subcommand into a page, so that the pages say
# what the program says.
option(GUESTADDR_BUILD_MAN "Build and install the man pages (needs help2man)" ON)
if(GUESTADDR_BUILD_MAN)
  find_program(HELP2MAN help2man)
  if(NOT HELP2MAN)
    message(FATAL_ERROR "the man pages need help2man (apt-get install help2man), or configure with -DGUESTADDR_BUILD_MAN=OFF")
  endif()
  set(man_dir ${PROJECT_BINARY_DIR}/man)
  add_custom_command(OUTPUT ${PROJECT_BINARY_DIR}/man.stamp
    COMMAND ${CMAKE_COMMAND} -DGUESTADDR=$<TARGET_FILE:guestaddr_cli> -DHELP2MAN=${HELP2MAN}
      -DOUT=${man_dir} -DSTAMP=${PROJECT_BINARY_DIR}/man.stamp -P ${PROJECT_SOURCE_DIR}/cmake/man_pages.cmake
    DEPENDS guestaddr_cli ${PROJECT_SOURCE_DIR}/cmake/man_pages.cmake
    COMMENT "Man pages from guestaddr --help (help2man)" VERBATIM)
  add_custom_target(guestaddr_man ALL DEPENDS ${PROJECT_BINARY_DIR}/man.stamp)
  install(DIRECTORY ${man_dir}/ DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 FILES_MATCHING PATTERN "*.1")
endif()

# Bash completion, written by the command itself from its own definition of
# subcommands and options (`guestaddr completion bash`), into the folder
# bash-completion loads on demand.
set(GUESTADDR_BASH_COMPLETION_DIR ${CMAKE_INSTALL_DATADIR}/bash-completion/completions
  CACHE STRING "Where the bash completion goes, under the prefix")
add_custom_command(OUTPUT ${PROJECT_BINARY_DIR}/completion/guestaddr
  COMMAND ${CMAKE_COMMAND} -E make_directory ${PROJECT_BINARY_DIR}/completion
  COMMAND $<TARGET_FILE:guestaddr_cli> completion bash > ${PROJECT_BINARY_DIR}/completion/guestaddr
  DEPENDS guestaddr_cli COMMENT "Bash completion from guestaddr completion bash")
add_custom_target(guestaddr_completion ALL DEPENDS ${PROJECT_BINARY_DIR}/completion/guestaddr)
install(FILES ${PROJECT_BINARY_DIR}/completion/guestaddr DESTINATION ${GUESTADDR_BASH_COMPLETION_DIR})
