// Runs one stage: plans it, creates its nodes' op instances in file order, runs its flow graph,
// then destroys every instance that was created (in reverse order), also after a failure.
// Failures go to run.fail(); the returned report has the stage's status, wall time and per-node
// counts. Call it inside the run's task arena.
#pragma once

#include "engine/config/pipeline.h"
#include "engine/exec/report.h"
#include "engine/exec/run_context.h"

namespace sluice {

StageReport run_stage(const StageDecl& stage, RunContext& run);

// The report of a stage that has not run: status "not_run", its nodes with zero counts.
StageReport unrun_stage_report(const StageDecl& stage);

}  // namespace sluice
