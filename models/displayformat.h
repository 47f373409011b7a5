#pragma once

// The formatter lives in core/domain (the analysis, the CLI and the panes share it).
#include "domain/displayformat.h"
