# Precompiled headers: the standard library, Boost.JSON and GoogleTest parsed once per build
# instead of once per source file (about 100,000 lines before any of ours in a typical file).
# Two headers, because a precompiled header is only valid for the optimisation it was made with:
# one for the libraries and the program (-O2), one for the tests (-O0, with GoogleTest). Every
# C++ target under src/ reuses one of them; a file that needs a header must still include it
# (BALADIYA_PCH=OFF builds without them, and CI's compiler would notice a missing include there
# only: keep includes complete).
option(BALADIYA_PCH "Precompile the common headers" ON)

# GCC 12 sees through the precompiled standard headers into std::string's inlined copies and
# reports false out-of-bounds copies of the kind of GCC bugs 105329 and 105651 (each one found
# was inside std::string); without precompiled headers they stay hidden as system-header warnings.
if(BALADIYA_PCH AND CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  add_compile_options(-Wno-stringop-overflow -Wno-stringop-overread -Wno-array-bounds)
endif()
# Every file compiled with -pthread (which defines _REENTRANT), as those of targets linking
# Threads::Threads are: a precompiled header is refused, and CMake's -Winvalid-pch says so, where
# the macros differ.
if(BALADIYA_PCH)
  add_compile_options(-pthread)
endif()

# Boost.JSON's link macros (and Boost.Container's, which it uses), for every file, so that the
# precompiled header (which holds boost/json.hpp) matches files whose target does not link
# Boost::json itself.
add_compile_definitions(BOOST_JSON_DYN_LINK BOOST_JSON_NO_LIB BOOST_CONTAINER_DYN_LINK
  BOOST_CONTAINER_NO_LIB)

set(BALADIYA_PCH_COMMON
  <algorithm> <array> <atomic> <charconv> <chrono> <cstdint> <cstring> <filesystem> <fstream>
  <functional> <map> <memory> <mutex> <optional> <regex> <set> <span> <sstream> <string>
  <string_view> <thread> <unordered_map> <utility> <vector> <boost/json.hpp>)

# Every target defined in `dir` and the folders below it.
function(baladiya_targets_under dir out_var)
  get_property(targets DIRECTORY "${dir}" PROPERTY BUILDSYSTEM_TARGETS)
  get_property(subdirs DIRECTORY "${dir}" PROPERTY SUBDIRECTORIES)
  foreach(sub IN LISTS subdirs)
    baladiya_targets_under("${sub}" more)
    list(APPEND targets ${more})
  endforeach()
  set(${out_var} ${targets} PARENT_SCOPE)
endfunction()

# Gives every C++ library and program under `dir` the precompiled header of its kind.
function(baladiya_use_pch dir)
  if(NOT BALADIYA_PCH)
    return()
  endif()
  file(WRITE "${CMAKE_BINARY_DIR}/pch_host.cpp" "// The precompiled headers' own target.\n")
  add_library(baladiya_pch_lib OBJECT "${CMAKE_BINARY_DIR}/pch_host.cpp")
  target_link_libraries(baladiya_pch_lib PRIVATE Boost::json)
  target_precompile_headers(baladiya_pch_lib PRIVATE ${BALADIYA_PCH_COMMON})
  if(BALADIYA_TESTS)
    add_library(baladiya_pch_test OBJECT "${CMAKE_BINARY_DIR}/pch_host.cpp")
    target_link_libraries(baladiya_pch_test PRIVATE Boost::json GTest::gtest GTest::gmock)
    if(NOT BALADIYA_SANITIZE)
      target_compile_options(baladiya_pch_test PRIVATE -O0)
    endif()
    target_precompile_headers(baladiya_pch_test PRIVATE ${BALADIYA_PCH_COMMON}
      <gtest/gtest.h> <gmock/gmock.h>)
  endif()
  baladiya_targets_under("${dir}" targets)
  foreach(t IN LISTS targets)
    get_target_property(type ${t} TYPE)
    if(NOT type MATCHES "^(STATIC_LIBRARY|EXECUTABLE|OBJECT_LIBRARY)$")
      continue()
    endif()
    get_target_property(kind ${t} BALADIYA_KIND)
    if(kind STREQUAL "test")
      target_precompile_headers(${t} REUSE_FROM baladiya_pch_test)
    else()
      target_precompile_headers(${t} REUSE_FROM baladiya_pch_lib)
    endif()
  endforeach()
endfunction()
