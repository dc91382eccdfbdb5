using AutoDeploy.Domain.Enrolment;
using AutoDeploy.Domain.Machines;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Services;
using Microsoft.EntityFrameworkCore;

namespace AutoDeploy.Tests.Enrolment;

/// <summary>Builders for enrolment-token tests: the services on any database, and a token created through them.</summary>
public static class EnrolmentTestData
{
    public static EnrolmentTokenService CreateTokenService(this IDbContextFactory<AutoDeployDbContext> database, TimeProvider time) =>
        new(database, new EnrolmentTokenInputValidator(), time);

    public static EnrolmentTokenInput Input(string name, int[] environmentIds, int[] policyIds, string[]? roles = null, int? maxUses = null) =>
        new() { Name = name, EnvironmentIds = [.. environmentIds], PolicyIds = [.. policyIds], Roles = [.. roles ?? ["web"]], MaxUses = maxUses };

    /// <summary>Creates a token through the service; fails the test if it is refused.</summary>
    public static async Task<NewEnrolmentToken> CreateTokenAsync(this EnrolmentTokenService service, EnrolmentTokenInput input)
    {
        var (result, created) = await service.CreateAsync(input);
        Assert.True(result.Succeeded, $"{result.Status}: {result.Message} {string.Join(" ", result.Errors?.SelectMany(e => e.Value) ?? [])}");
        return created!;
    }

    public static RegistrationRequest Registration(string name, string environment, string[]? roles = null, string? policy = null) =>
        new() { Name = name, Environments = [environment], Roles = [.. roles ?? ["web"]], Policy = policy, AgentVersion = "1.0.0" };

    public static async Task<List<(string Category, string Message, int? MachineId)>> TokenEventsAsync(
        this IDbContextFactory<AutoDeployDbContext> factory, int tokenId)
    {
        await using var db = await factory.CreateDbContextAsync();
        var events = await db.Events.Where(e => e.DocumentType == "EnrolmentToken" && e.DocumentId == tokenId).OrderBy(e => e.Id)
            .Select(e => new { e.Category, e.Message, e.MachineId }).ToListAsync();
        return events.Select(e => (e.Category, e.Message, e.MachineId)).ToList();
    }
}
