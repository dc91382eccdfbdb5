using System.Net;
using System.Net.Http.Json;
using AutoDeploy.Domain.Deployments;
using AutoDeploy.Web.HealthChecks;
using AutoDeploy.Web.Services;

namespace AutoDeploy.Tests.TestSupport;

/// <summary>Starting a deployment through the REST API and waiting for a deployment or a health check to end.</summary>
internal static class TaskApi
{
    /// <summary>Deploys the scenario's release to its environment (all machines); the API must answer 201.</summary>
    public static async Task<DeploymentSummary> DeployAsync(this HttpClient api, DeploymentScenario scenario)
    {
        var response = await api.PostAsJsonAsync("/api/deployments", new DeployRequest(scenario.Release.Id, scenario.Environment.Id, null));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<DeploymentSummary>(ProtocolAgent.Json))!;
    }

    public static async Task<DeploymentDetails> WaitForDeploymentEndAsync(this HttpClient api, int id, TimeSpan? timeout = null)
    {
        DeploymentDetails? details = null;
        await Eventually.TrueAsync(async () =>
        {
            details = await api.GetFromJsonAsync<DeploymentDetails>($"/api/deployments/{id}", ProtocolAgent.Json);
            return details!.Deployment.State.IsFinished();
        }, timeout, () => $"deployment {id} is still {details?.Deployment.State}");
        return details!;
    }

    public static async Task<HealthCheckRunDetails> WaitForHealthCheckEndAsync(this HttpClient api, Uri location)
    {
        HealthCheckRunDetails? run = null;
        await Eventually.TrueAsync(async () =>
        {
            run = await api.GetFromJsonAsync<HealthCheckRunDetails>(location, ProtocolAgent.Json);
            return run!.State != DeploymentState.Executing;
        }, because: () => $"the run is still {run?.State}");
        return run!;
    }
}
