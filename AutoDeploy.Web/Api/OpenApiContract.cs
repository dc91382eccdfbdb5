using System.Globalization;
using AutoDeploy.Web.Agents;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.OpenApi;

namespace AutoDeploy.Web.Api;

/// <summary>
/// What the OpenAPI document (<c>/openapi/v1.json</c>) tells a client generator beyond what each endpoint declares: the
/// ways to authenticate and which one each operation takes, the 401 and 403 that come with them, an operationId for
/// every operation made from its method and path, and what each tag is about.
/// </summary>
public static class OpenApiContract
{
    public const string ApiKeyScheme = "ApiKey";
    public const string AgentScheme = "AgentToken";
    public const string EnrolmentScheme = "EnrolmentToken";

    private const string ProblemJson = "application/problem+json";

    private static readonly Dictionary<string, string> TagDescriptions = new()
    {
        ["Environments"] = "Where releases go: Test, Production, …",
        ["Machines"] = "Deployment targets: registration, health, the releases on them and the engine's decisions about them",
        ["Enrolment tokens"] = "Credentials that let new machines register themselves, within limits",
        ["Machine policies"] = "How machines are looked after: health checks, clean-up, agent updates",
        ["Projects"] = "What is deployed: steps and variables",
        ["Releases"] = "Snapshots of a project that are deployed",
        ["Triggers"] = "When a project deploys by itself, and the engine's decisions for each trigger",
        ["Deployments"] = "Deployments, their results per machine and step, and their logs",
        ["Health checks"] = "Health checks run on machines' agents",
        ["Fleet"] = "Fleet drift: per machine and project, the release it should have, the one it has, and why",
        ["Events"] = "The event log: every significant change, oldest first after a cursor",
        ["Users"] = "Users, roles, and the caller's API keys",
        ["Agent"] = "The agent protocol: what an agent calls with its own token",
        ["Install"] = "Installing the agent on a machine",
        ["Backup"] = "A consistent backup of a single-node server on SQLite",
    };

    public static IServiceCollection AddApiContract(this IServiceCollection services) =>
        services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                Describe(document);
                return Task.CompletedTask;
            });
            options.AddOperationTransformer((operation, context, _) =>
            {
                Describe(operation, context);
                return Task.CompletedTask;
            });
        });

    private static void Describe(OpenApiDocument document)
    {
        document.Info.Title = "AutoDeploy";
        document.Info.Description = "The REST API of AutoDeploy. Errors are RFC 7807 problem details; lists follow one paging rule " +
                                    "(take 1 to the list's maximum, 400 when out of range).";
        foreach (var server in document.Servers ?? [])
        {
            server.Url = server.Url?.TrimEnd('/');
        }
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>
        {
            [ApiKeyScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Header, Name = ApiKey.HeaderName,
                Description = "A user's API key (Profile page, or POST /api/me/api-keys); it has the user's role.",
            },
            [AgentScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http, Scheme = "bearer",
                Description = "An agent's token, given once by POST /api/machines/register.",
            },
            [EnrolmentScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Header, Name = MachinesApi.EnrolmentTokenHeader,
                Description = "An enrolment token: registers machines within the environments, roles and policies it allows.",
            },
        };
        var used = document.Paths.Values.Where(p => p.Operations is not null).SelectMany(p => p.Operations!.Values)
            .SelectMany(o => o.Tags ?? new HashSet<OpenApiTagReference>()).Select(t => t.Name).OfType<string>().ToHashSet();
        document.Tags = new HashSet<OpenApiTag>(used.Order().Select(name => new OpenApiTag
        {
            Name = name, Description = TagDescriptions.GetValueOrDefault(name, name),
        }));
    }

    private static void Describe(OpenApiOperation operation, OpenApiOperationTransformerContext context)
    {
        var description = context.Description;
        operation.OperationId ??= OperationId(description.HttpMethod ?? "GET", description.RelativePath ?? "");
        var metadata = description.ActionDescriptor.EndpointMetadata;
        var policies = metadata.OfType<IAuthorizeData>().Select(a => a.Policy).ToHashSet();
        var anonymous = metadata.OfType<IAllowAnonymous>().Any();
        string[] schemes = anonymous
            ? description.RelativePath?.EndsWith("machines/register", StringComparison.Ordinal) == true ? [EnrolmentScheme, ApiKeyScheme] : []
            : policies.Contains(AgentAuthenticationHandler.PolicyName) ? [AgentScheme]
            : policies.Count > 0 ? [ApiKeyScheme] : [];
        if (operation.RequestBody is not null)
        {
            AddProblem(operation, context, StatusCodes.Status400BadRequest, "The body could not be read or is not valid; the problem names the field");
            AddProblem(operation, context, StatusCodes.Status413PayloadTooLarge, "The body is larger than this call takes");
        }
        if (description.RelativePath?.StartsWith("api/", StringComparison.Ordinal) == true && !metadata.OfType<DisableRateLimitingAttribute>().Any())
        {
            AddProblem(operation, context, StatusCodes.Status429TooManyRequests, "Too many requests from this caller; Retry-After says when to come back");
        }
        if (schemes.Length == 0)
        {
            // An empty requirement: anyone may call it.
            operation.Security = [new OpenApiSecurityRequirement()];
            return;
        }
        // One requirement per scheme: any one of them will do.
        operation.Security = schemes.Select(scheme => new OpenApiSecurityRequirement
        {
            [new OpenApiSecuritySchemeReference(scheme, context.Document)] = [],
        }).ToList();
        AddProblem(operation, context, StatusCodes.Status401Unauthorized, "No credential, or one that is unknown, expired or revoked");
        if (!anonymous && (policies.Contains(Policies.Deploy) || policies.Contains(Policies.EditProjects)
                           || policies.Contains(Policies.Administer)))
        {
            AddProblem(operation, context, StatusCodes.Status403Forbidden, "The caller's roles may not do this (here, or for this project or environment)");
        }
    }

    private static void AddProblem(OpenApiOperation operation, OpenApiOperationTransformerContext context, int status, string why)
    {
        operation.Responses ??= [];
        var key = status.ToString(CultureInfo.InvariantCulture);
        if (operation.Responses.ContainsKey(key))
        {
            return;
        }
        operation.Responses[key] = new OpenApiResponse
        {
            Description = why,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                [ProblemJson] = new() { Schema = new OpenApiSchemaReference("ProblemDetails", context.Document) },
            },
        };
    }

    /// <summary>"GET api/machines/{id}/decisions" → "getMachinesIdDecisions": unique because method and path are.</summary>
    public static string OperationId(string method, string relativePath)
    {
        var words = relativePath.Split('?')[0].Split('/', StringSplitOptions.RemoveEmptyEntries)
            .Where(segment => segment != "api")
            .Select(segment => segment.Trim('{', '}').Split(':')[0])
            .SelectMany(segment => segment.Split('-', '.'))
            .Where(word => word.Length > 0)
            .Select(word => char.ToUpperInvariant(word[0]) + word[1..]);
        return method.ToLowerInvariant() + string.Concat(words);
    }
}
