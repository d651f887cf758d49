# cmake -P man_pages.cmake: the man pages, made by help2man from the command's
# own --help and --version: guestaddr(1), and guestaddr-SUBCOMMAND(1) for
# each subcommand `guestaddr --help` lists (as git has them).
#   -DGUESTADDR=path of the built command  -DHELP2MAN=path  -DOUT=folder  -DSTAMP=file
execute_process(COMMAND ${GUESTADDR} --help OUTPUT_VARIABLE help COMMAND_ERROR_IS_FATAL ANY)
execute_process(COMMAND ${GUESTADDR} --version OUTPUT_VARIABLE version_text COMMAND_ERROR_IS_FATAL ANY)
string(REGEX REPLACE "^guestaddr ([^\n]*)\n.*$" "\\1" version "${version_text}")

# The subcommands: the lines under "Subcommands:", "  NAME  description".
string(REGEX REPLACE "^.*\nSubcommands:\n" "" listing "${help}")
string(REPLACE "\n" ";" lines "${listing}")
set(names "")
foreach(line IN LISTS lines)
  if(line MATCHES "^  ([a-z][a-z-]*) +(.*)$")
    list(APPEND names ${CMAKE_MATCH_1})
    set(description_${CMAKE_MATCH_1} "${CMAKE_MATCH_2}")
  endif()
endforeach()
if(NOT names)
  message(FATAL_ERROR "no subcommands found in `guestaddr --help`")
endif()

file(REMOVE_RECURSE ${OUT})
file(MAKE_DIRECTORY ${OUT})
set(see_also "")
foreach(name IN LISTS names)
  string(APPEND see_also ".BR guestaddr-${name} (1),\n")
endforeach()
file(WRITE ${OUT}/see-also.h2m "[SEE ALSO]\n${see_also}.BR guestaddr (1)\n")

execute_process(
  COMMAND ${HELP2MAN} --no-info --section=1 --include=${OUT}/see-also.h2m
    "--name=stable, libvirt-compatible device addresses for QEMU/KVM guests"
    --output=${OUT}/guestaddr.1 ${GUESTADDR}
  COMMAND_ERROR_IS_FATAL ANY)
foreach(name IN LISTS names)
  execute_process(
    COMMAND ${HELP2MAN} --no-info --section=1 --include=${OUT}/see-also.h2m
      "--name=${description_${name}}" "--help-option=${name} --help"
      "--version-string=guestaddr-${name} ${version}"
      --output=${OUT}/guestaddr-${name}.1 ${GUESTADDR}
    COMMAND_ERROR_IS_FATAL ANY)
endforeach()
file(REMOVE ${OUT}/see-also.h2m)
file(TOUCH ${STAMP})
