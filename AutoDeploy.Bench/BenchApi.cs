using System.Net.Http.Json;
using System.Text.Json;

namespace AutoDeploy.Bench;

/// <summary>What the benchmarks ask the server's API while they wait.</summary>
public static class BenchApi
{
    /// <summary>
    /// How many machines (of the environment, when one is given) are Healthy. A machine's first poll is its health check
    /// (connectivity only), so Healthy means its agent is connected.
    /// </summary>
    public static async Task<int> HealthyMachinesAsync(HttpClient api, int? environmentId = null) =>
        (await api.GetFromJsonAsync<JsonElement>($"/api/machines?health=Healthy&take=1{(environmentId is { } id ? $"&environment={id}" : "")}"))
        .GetProperty("total").GetInt32();
}
