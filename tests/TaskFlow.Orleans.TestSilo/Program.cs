using TaskFlow.Orleans.Samples;
using TaskFlow.Orleans.Silo;
using TaskFlow.Orleans.TestSilo.Stress;

// The shipped silo (same configuration, same appsettings.json) with the stress flow the end-to-end tests drive; its steps
// write the execution journal (TASKFLOW_JOURNAL_DIR) the kill tests count executions in.
return await SiloProgram.RunAsync(args, taskFlow => taskFlow.AddSamples().AddTask<StressStep>().AddFlow(StressFlow.Name, StressFlow.Build));
