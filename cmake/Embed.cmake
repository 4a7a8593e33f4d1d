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

# baladiya_module_files(OUT_VAR PREFIX): embeds a module's own files from its folder, each kind
# only when the module has it: migrations/*.sql as PREFIXMigrationFiles(), templates/*.tpl as
# PREFIXTemplateFiles() (by file name), i18n/ar.json and i18n/en.json as PREFIXMessageFiles(),
# openapi.json as PREFIXOpenApiFiles(). OUT_VAR receives the generated sources.
function(baladiya_module_files out_var prefix)
  set(dir ${CMAKE_CURRENT_SOURCE_DIR})
  set(sources "")
  file(GLOB migrations CONFIGURE_DEPENDS ${dir}/migrations/*.sql)
  if(migrations)
    baladiya_embed(generated ${prefix}MigrationFiles ${dir} ${migrations})
    list(APPEND sources ${generated})
  endif()
  file(GLOB templates CONFIGURE_DEPENDS ${dir}/templates/*.tpl)
  if(templates)
    baladiya_embed(generated ${prefix}TemplateFiles NAME_ONLY ${templates})
    list(APPEND sources ${generated})
  endif()
  if(EXISTS ${dir}/i18n/ar.json)
    baladiya_embed(generated ${prefix}MessageFiles ${dir}/i18n ${dir}/i18n/ar.json
      ${dir}/i18n/en.json)
    list(APPEND sources ${generated})
  endif()
  if(EXISTS ${dir}/openapi.json)
    baladiya_embed(generated ${prefix}OpenApiFiles ${dir} ${dir}/openapi.json)
    list(APPEND sources ${generated})
  endif()
  set(${out_var} ${sources} PARENT_SCOPE)
endfunction()
