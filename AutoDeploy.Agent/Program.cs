using System.Runtime.InteropServices;
using AutoDeploy.Agent.Commands;

// Ctrl+C or SIGTERM stops the agent cleanly (a running script is killed and reported Canceled);
// a second Ctrl+C ends it at once.
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = !stop.IsCancellationRequested;
    stop.Cancel();
};
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    stop.Cancel();
});

return await AgentCommands.RunAsync(args, Console.Out, Console.Error, stop.Token);
