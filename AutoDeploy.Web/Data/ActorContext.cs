namespace AutoDeploy.Web.Data;

/// <summary>
/// Who is acting in the current async flow: set per HTTP request and per Blazor circuit event,
/// read by the event listener so every Event row names its actor.
/// </summary>
public static class ActorContext
{
    public const string System = "system";

    private static readonly AsyncLocal<string?> CurrentActor = new();

    public static string Current => CurrentActor.Value ?? System;

    public static IDisposable Use(string? actor)
    {
        var previous = CurrentActor.Value;
        CurrentActor.Value = actor;
        return new Restore(previous);
    }

    private sealed class Restore(string? previous) : IDisposable
    {
        public void Dispose() => CurrentActor.Value = previous;
    }
}
