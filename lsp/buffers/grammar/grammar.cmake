# The tree-sitter Markdown grammars (block and inline), pinned in
# lsp/buffers/grammar/package-lock.json and fetched with the machine's npm client
# at configure time into the build tree. No third-party source is committed.
#
# VAULT_GRAMMAR_DIR may point at an already unpacked package (offline builds).

set(VAULT_GRAMMAR_PKG "@tree-sitter-grammars/tree-sitter-markdown")
set(VAULT_GRAMMAR_DIR "" CACHE PATH "Unpacked ${VAULT_GRAMMAR_PKG} package (default: fetched with npm)")

if(NOT VAULT_GRAMMAR_DIR)
  set(npm_dir ${CMAKE_BINARY_DIR}/grammar)
  set(lock ${CMAKE_SOURCE_DIR}/lsp/buffers/grammar/package-lock.json)
  file(SHA256 ${lock} lock_hash)
  set(stamp ${npm_dir}/.vault-lock-${lock_hash})
  if(NOT EXISTS ${stamp})
    find_program(NPM npm REQUIRED)
    file(REMOVE_RECURSE ${npm_dir})
    file(MAKE_DIRECTORY ${npm_dir})
    configure_file(${CMAKE_SOURCE_DIR}/lsp/buffers/grammar/package.json ${npm_dir}/package.json COPYONLY)
    configure_file(${lock} ${npm_dir}/package-lock.json COPYONLY)
    message(STATUS "Fetching ${VAULT_GRAMMAR_PKG} with npm ci (pinned by lsp/buffers/grammar/package-lock.json)")
    # --ignore-scripts: we want the C sources, not the node binding's build.
    execute_process(
      COMMAND ${NPM} ci --ignore-scripts --legacy-peer-deps --no-audit --no-fund --loglevel=error
      WORKING_DIRECTORY ${npm_dir}
      RESULT_VARIABLE npm_result)
    if(NOT npm_result EQUAL 0)
      message(FATAL_ERROR "npm ci failed (${npm_result}): cannot fetch ${VAULT_GRAMMAR_PKG}")
    endif()
    file(WRITE ${stamp} "")
  endif()
  set(VAULT_GRAMMAR_DIR ${npm_dir}/node_modules/${VAULT_GRAMMAR_PKG})
endif()

set(block ${VAULT_GRAMMAR_DIR}/tree-sitter-markdown/src)
set(inline ${VAULT_GRAMMAR_DIR}/tree-sitter-markdown-inline/src)
foreach(f ${block}/parser.c ${block}/scanner.c ${inline}/parser.c ${inline}/scanner.c)
  if(NOT EXISTS ${f})
    message(FATAL_ERROR "grammar source missing: ${f}")
  endif()
endforeach()

# The two grammars each have a parser.c and scanner.c with their own
# tree_sitter/parser.h; build them as two object libraries so each sees its own.
add_library(markdown_block_grammar OBJECT ${block}/parser.c ${block}/scanner.c)
target_include_directories(markdown_block_grammar PRIVATE ${block})
add_library(markdown_inline_grammar OBJECT ${inline}/parser.c ${inline}/scanner.c)
target_include_directories(markdown_inline_grammar PRIVATE ${inline})
foreach(t markdown_block_grammar markdown_inline_grammar)
  # Third-party generated code: not held to our warnings.
  target_compile_options(${t} PRIVATE -w)
  set_target_properties(${t} PROPERTIES C_STANDARD 11 C_EXTENSIONS ON POSITION_INDEPENDENT_CODE ON)
endforeach()
add_library(markdown_grammars STATIC
  $<TARGET_OBJECTS:markdown_block_grammar> $<TARGET_OBJECTS:markdown_inline_grammar>)
