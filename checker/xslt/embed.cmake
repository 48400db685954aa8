# embed.cmake — embeds the HTML report's XSLT stylesheet into libtekigo, so that
# the installed tool needs no data file.
#
# Included from the top-level CMakeLists.txt (after tekigo_lib is defined), it
# adds a build step that turns checker/xslt/report-html.xsl into a C array
# (gen/report_html_xsl.c) and compiles it into tekigo_lib. Run as a script
# (cmake -DIN=… -DOUT=… -P embed.cmake) it does the conversion itself, with
# file(READ … HEX): no xxd, no generator program.
if(CMAKE_SCRIPT_MODE_FILE)
  file(READ "${IN}" hex HEX)
  string(LENGTH "${hex}" nhex)
  # "3c3f78…" → "0x3c,0x3f,0x78,…", sixteen bytes to a line.
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
  string(REGEX REPLACE "((0x[0-9a-f][0-9a-f],){16})" "\\1\n    " bytes "${bytes}")
  math(EXPR nbytes "${nhex} / 2")
  file(WRITE "${OUT}.tmp"
    "/* Generated from checker/xslt/report-html.xsl by checker/xslt/embed.cmake: do not edit. */\n"
    "#include <stddef.h>\n\n"
    "extern const unsigned char tkg_report_html_xsl[];\n"
    "extern const size_t tkg_report_html_xsl_len;\n\n"
    "const unsigned char tkg_report_html_xsl[] = {\n    ${bytes}0x00};\n"
    "const size_t tkg_report_html_xsl_len = ${nbytes};\n")
  file(RENAME "${OUT}.tmp" "${OUT}")
  return()
endif()

set(TKG_XSL_SOURCE ${CMAKE_CURRENT_LIST_DIR}/report-html.xsl)
set(TKG_GEN_XSL ${CMAKE_CURRENT_BINARY_DIR}/gen/report_html_xsl.c)
add_custom_command(
  OUTPUT ${TKG_GEN_XSL}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_CURRENT_BINARY_DIR}/gen
  COMMAND ${CMAKE_COMMAND} -DIN=${TKG_XSL_SOURCE} -DOUT=${TKG_GEN_XSL}
          -P ${CMAKE_CURRENT_LIST_DIR}/embed.cmake
  DEPENDS ${TKG_XSL_SOURCE} ${CMAKE_CURRENT_LIST_DIR}/embed.cmake
  COMMENT "Embedding the HTML report stylesheet")
target_sources(tekigo_lib PRIVATE ${TKG_GEN_XSL})
