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
tkg_unit_if_present(test_xlsx_sheet SOURCES ${SRC}/xlsx_sheet.c ${SRC}/zipread.c LIBS PkgConfig::LIBZIP PkgConfig::LIBXML2)
tkg_unit_if_present(test_zipread SOURCES ${SRC}/zipread.c LIBS PkgConfig::LIBZIP)
tkg_unit_if_present(test_json_tok SOURCES ${SRC}/json_tok.c)
tkg_unit_if_present(test_pattern SOURCES ${SRC}/pattern.c)
tkg_unit_if_present(test_xml_safety LIBS PkgConfig::LIBXML2)
# JSON payloads through the whole library (hostile inputs, positions, chunking of the samples).
tkg_unit_if_present(test_json_payloads LIBS tekigo_lib)
if(TARGET test_json_payloads)
  target_compile_definitions(test_json_payloads PRIVATE
    TKG_JSON_SAMPLES="${PROJECT_SOURCE_DIR}/samples/jutogai-atenabango-fuban-api/nonconforming")
endif()
