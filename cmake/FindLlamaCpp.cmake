# Finds the pinned llama.cpp headers and prebuilt libraries that scripts/install-natives.sh installs.
# Input:  HEARTH_LLAMA_DIR (e.g. ~/.cache/hearth/llama.cpp/v0.5.0), holding src/ (headers) and cpu/ (libraries).
# Output: LlamaCpp::headers (include dirs only), LlamaCpp::llama (headers + libllama + libggml, rpath set) and
#         LlamaCpp::common (libllama-common, the C++ chat library, with its headers).

set(HEARTH_LLAMA_DIR "" CACHE PATH "Directory with the pinned llama.cpp release (src/ and cpu/)")

find_path(LlamaCpp_INCLUDE_DIR llama.h PATHS "${HEARTH_LLAMA_DIR}/src/include" NO_DEFAULT_PATH)
find_path(LlamaCpp_GGML_INCLUDE_DIR ggml.h PATHS "${HEARTH_LLAMA_DIR}/src/ggml/include" NO_DEFAULT_PATH)
file(GLOB LlamaCpp_LIBRARY "${HEARTH_LLAMA_DIR}/cpu/libllama.v*.so")
file(GLOB LlamaCpp_GGML_LIBRARY "${HEARTH_LLAMA_DIR}/cpu/libggml.v*.so")
file(GLOB LlamaCpp_GGML_BASE_LIBRARY "${HEARTH_LLAMA_DIR}/cpu/libggml-base.so")
file(GLOB LlamaCpp_COMMON_LIBRARY "${HEARTH_LLAMA_DIR}/cpu/libllama-common.so")

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(LlamaCpp
  REQUIRED_VARS LlamaCpp_INCLUDE_DIR LlamaCpp_GGML_INCLUDE_DIR LlamaCpp_LIBRARY LlamaCpp_GGML_LIBRARY LlamaCpp_GGML_BASE_LIBRARY
    LlamaCpp_COMMON_LIBRARY
  REASON_FAILURE_MESSAGE "run scripts/install-natives.sh first, and pass -DHEARTH_LLAMA_DIR=<cache>/llama.cpp/<release>")

if(LlamaCpp_FOUND AND NOT TARGET LlamaCpp::headers)
  add_library(LlamaCpp::headers INTERFACE IMPORTED)
  set_target_properties(LlamaCpp::headers PROPERTIES
    INTERFACE_INCLUDE_DIRECTORIES "${LlamaCpp_INCLUDE_DIR};${LlamaCpp_GGML_INCLUDE_DIR}")
  get_filename_component(LlamaCpp_LIBRARY_DIR "${LlamaCpp_LIBRARY}" DIRECTORY)
  add_library(LlamaCpp::llama SHARED IMPORTED)
  set_target_properties(LlamaCpp::llama PROPERTIES
    IMPORTED_LOCATION "${LlamaCpp_LIBRARY}"
    IMPORTED_NO_SONAME FALSE
    INTERFACE_LINK_LIBRARIES "LlamaCpp::headers;${LlamaCpp_GGML_LIBRARY};${LlamaCpp_GGML_BASE_LIBRARY}"
    INTERFACE_LINK_OPTIONS "-Wl,-rpath,${LlamaCpp_LIBRARY_DIR};-Wl,-rpath-link,${LlamaCpp_LIBRARY_DIR}")
  # llama.cpp's C++ chat library; its headers (common/) come with the pinned source.
  add_library(LlamaCpp::common SHARED IMPORTED)
  set_target_properties(LlamaCpp::common PROPERTIES
    IMPORTED_LOCATION "${LlamaCpp_COMMON_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${HEARTH_LLAMA_DIR}/src/common"
    INTERFACE_LINK_LIBRARIES LlamaCpp::llama)
endif()
