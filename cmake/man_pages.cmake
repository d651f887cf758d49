cmake_minimum_required(VERSION 3.25)  # the policies of -P scripts too (IN_LIST)
# cmake -P man_pages.cmake: the man pages, made by help2man from the command's
# own --help and --version: guestaddr(1), and guestaddr-SUBCOMMAND(1) for
# each subcommand `guestaddr --help` lists (as git has them). Their EXAMPLES
# are the README's: each command line of its ```sh blocks, with its comment,
# on the page of its subcommand, and all of them on guestaddr(1).
#   -DGUESTADDR=path of the built command  -DHELP2MAN=path  -DREADME=file  -DOUT=folder  -DSTAMP=file
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

# The README's examples: each command line of a ```sh block, "guestaddr
# [SUBCOMMAND] ARGS  # what it does" (or build/guestaddr, as the README runs
# the built command), told by its own comment or else by the comment line
# just above it; each command once. A line continued on the next is left
# out. A semicolon would split CMake's list of lines: it is kept out of the
# way meanwhile.
file(READ ${README} readme)
string(REPLACE ";" "<semicolon>" readme "${readme}")
string(REPLACE "\n" ";" readme_lines "${readme}")
set(in_sh FALSE)
set(above "")
set(seen "")
set(examples_ "")
foreach(line IN LISTS readme_lines)
  if(line MATCHES "^```sh")
    set(in_sh TRUE)
  elseif(line MATCHES "^```")
    set(in_sh FALSE)
  elseif(NOT in_sh)
  elseif(line MATCHES "^# *(.*)$")
    set(above "${CMAKE_MATCH_1}")
  elseif(line MATCHES "^(build/)?(guestaddr( ([a-z][a-z-]*))?[^#]*[^ #\\])( +# *(.*))?$")
    set(command "${CMAKE_MATCH_2}")
    set(sub "${CMAKE_MATCH_4}")
    set(comment "${CMAKE_MATCH_6}")
    if(NOT comment)
      set(comment "${above}")
    endif()
    set(above "")
    if(command IN_LIST seen)
      continue()
    endif()
    list(APPEND seen "${command}")
    # roff: a backslash is \\e, a minus sign \\-, and no line may start with a dot.
    foreach(text command comment)
      string(REPLACE "\\" "\\e" ${text} "${${text}}")
      string(REPLACE "-" "\\-" ${text} "${${text}}")
      string(REPLACE "<semicolon>" ";" ${text} "${${text}}")
      string(REGEX REPLACE "^\\." "\\\\&." ${text} "${${text}}")
    endforeach()
    set(entry ".TP\n\\fB${command}\\fR\n")
    if(comment)
      string(APPEND entry "${comment}\n")
    endif()
    string(APPEND examples_ "${entry}")
    if(sub IN_LIST names)
      string(APPEND examples_${sub} "${entry}")
    endif()
  else()
    set(above "")
  endif()
endforeach()
# The help2man option that includes `text` as EXAMPLES, in `option`; none
# for a page without examples.
function(examples_option option text)
  set(${option} "" PARENT_SCOPE)
  if(text)
    file(WRITE ${OUT}/examples.h2m "[EXAMPLES]\n${text}")
    set(${option} --include=${OUT}/examples.h2m PARENT_SCOPE)
  endif()
endfunction()

examples_option(examples "${examples_}")
execute_process(
  COMMAND ${HELP2MAN} --no-info --section=1 --include=${OUT}/see-also.h2m ${examples}
    "--name=stable, libvirt-compatible device addresses for QEMU/KVM guests"
    --output=${OUT}/guestaddr.1 ${GUESTADDR}
  COMMAND_ERROR_IS_FATAL ANY)
foreach(name IN LISTS names)
  examples_option(examples "${examples_${name}}")
  execute_process(
    COMMAND ${HELP2MAN} --no-info --section=1 --include=${OUT}/see-also.h2m ${examples}
      "--name=${description_${name}}" "--help-option=${name} --help"
      "--version-string=guestaddr-${name} ${version}"
      --output=${OUT}/guestaddr-${name}.1 ${GUESTADDR}
    COMMAND_ERROR_IS_FATAL ANY)
endforeach()
file(REMOVE ${OUT}/see-also.h2m ${OUT}/examples.h2m)
file(TOUCH ${STAMP})
