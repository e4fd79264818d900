using TaskFlow.Orleans.Samples;
using TaskFlow.Orleans.Silo;

// The deployable silo: the engine with the sample tasks and flows (the boot-server flow). Your own silo registers your tasks
// the same way: samples/MySilo is a minimal one (README, "Your own silo").
return await SiloProgram.RunAsync(args, taskFlow => taskFlow.AddSamples());
