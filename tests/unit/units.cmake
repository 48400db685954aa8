# The unit tests, each linked only with the library sources it tests.
# (Guards let a unit test land before or after its sources during development.)
macro(tkg_unit_if_present name)
  if(EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/unit/${name}.c)
    tkg_unit_test(${name} ${ARGN})
  endif()
endmacro()

tkg_unit_if_present(test_utf8 SOURCES ${SRC}/utf8.c ${SRC}/moji.c ${TKG_GEN_REPERTOIRE})
tkg_unit_if_present(test_moji SOURCES ${SRC}/utf8.c ${SRC}/moji.c ${TKG_GEN_REPERTOIRE})
tkg_unit_if_present(test_values SOURCES ${SRC}/values.c)
tkg_unit_if_present(test_csv SOURCES ${SRC}/csv.c ${SRC}/decode.c ${SRC}/utf8.c)
tkg_unit_if_present(test_xlsx_sheet SOURCES ${SRC}/xlsx_sheet.c LIBS PkgConfig::LIBZIP PkgConfig::LIBXML2)
tkg_unit_if_present(test_json_tok SOURCES ${SRC}/json_tok.c)
