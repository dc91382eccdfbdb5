using System.Text.Json;
using System.Text.Json.Serialization;
using AutoDeploy.Domain.Agents;
using AutoDeploy.Domain.Machines;
using AutoDeploy.Domain.Triggers;

namespace AutoDeploy.Agent;

/// <summary>
/// Every type the agent reads or writes as JSON, generated at compile time: the published agent is trimmed, and
/// reflection-based JSON would lose the members trimming removes. A type missing here fails at its first use with
/// "JsonTypeInfo metadata for type ... was not provided", in the tests as in production.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true)]
[JsonSerializable(typeof(RegistrationRequest))]
[JsonSerializable(typeof(RegistrationResponse))]
[JsonSerializable(typeof(PollRequest))]
[JsonSerializable(typeof(AgentJob))]
[JsonSerializable(typeof(LogBatch))]
[JsonSerializable(typeof(LogBatchResponse))]
[JsonSerializable(typeof(JobCompletion))]
[JsonSerializable(typeof(ServerProblem))]
[JsonSerializable(typeof(MachineReadiness))]
[JsonSerializable(typeof(AgentSettings))]
[JsonSerializable(typeof(AgentUpdateFailure))]
[JsonSerializable(typeof(List<AgentBinary>))]
[JsonSerializable(typeof(RegistrationResult))]
internal sealed partial class AgentJson : JsonSerializerContext;
