# baladiya_embed(OUT_VAR FUNCTION_NAME BASE_DIR FILE...)
# Generates a C++ source defining
#   std::span<const baladiya::EmbeddedFile> FUNCTION_NAME();
# whose entries are the files' paths relative to BASE_DIR (or their bare file names when BASE_DIR
# is NAME_ONLY) and their bytes. The source is
# regenerated whenever one of the files changes, so templates and assets ship inside the binary.
set(BALADIYA_EMBED_SCRIPT ${CMAKE_CURRENT_LIST_DIR}/embed_run.cmake)
function(baladiya_embed out_var function_name base_dir)
  set(files ${ARGN})
  set(out ${CMAKE_CURRENT_BINARY_DIR}/${function_name}.cpp)
  string(REPLACE ";" "|" files_arg "${files}")
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DOUT=${out} -DFUNCTION=${function_name} -DBASE=${base_dir}
            "-DFILES=${files_arg}" -P ${BALADIYA_EMBED_SCRIPT}
    DEPENDS ${files} ${BALADIYA_EMBED_SCRIPT}
    COMMENT "Embedding ${function_name}"
    VERBATIM)
  set(${out_var} ${out} PARENT_SCOPE)
endfunction()
