using AutoDeploy.Web.Services;

namespace AutoDeploy.Web.Components.Pages.Triggers;

/// <summary>How a trigger's filter reads in lists: "MachineAvailableForDeployment · Production · roles web, api".</summary>
public static class TriggerDisplay
{
    public static string Summary(TriggerDetails trigger, IReadOnlyList<EnvironmentOption> environments)
    {
        var events = string.Join(", ", [.. trigger.EventGroups, .. trigger.EventCategories]);
        var where = trigger.EnvironmentIds.Count == 0
            ? "every environment"
            : string.Join(", ", trigger.EnvironmentIds.Select(id => environments.FirstOrDefault(e => e.Id == id)?.Name ?? $"environment {id}"));
        var roles = trigger.Roles.Count == 0 ? "any role" : $"roles {string.Join(", ", trigger.Roles)}";
        var redeploy = trigger.Redeploy ? " · redeploys" : "";
        var hook = trigger.Action == Domain.Triggers.TriggerAction.RunOnOtherMachines ? " · runs on other machines when one leaves" : "";
        return $"{events} · {where} · {roles}{redeploy}{hook}";
    }
}
