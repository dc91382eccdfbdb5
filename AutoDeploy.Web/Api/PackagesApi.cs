using AutoDeploy.Domain.Packages;
using AutoDeploy.Web.Data;
using AutoDeploy.Web.Identity;
using AutoDeploy.Web.Packages;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace AutoDeploy.Web.Api;

/// <summary>
/// <c>/api/packages</c>: the built-in package repository. Deployers upload (the body as it is, or a multipart form's
/// file) and delete; everyone signed in lists, reads and downloads (with HTTP ranges, so a cut download resumes).
/// </summary>
public static class PackagesApi
{
    public const string ChecksumHeader = "X-Checksum-Sha256";

    public static RouteGroupBuilder MapPackagesApi(this RouteGroupBuilder api)
    {
        var packages = api.MapGroup("/packages").WithTags("Packages");

        packages.MapPost("/", UploadAsync)
            .RequireAuthorization(Policies.EditProjects)
            // Any other type is the file itself: curl --data-binary sends application/x-www-form-urlencoded unless told otherwise.
            .Accepts<Stream>("application/octet-stream", "multipart/form-data", "*/*")
            .Produces<PackageVersionSummary>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Uploads a package: the body is the file (curl --data-binary @shop.1.4.2.zip \"…?fileName=shop.1.4.2.zip\") or a " +
                         "multipart form's file (curl -F file=@shop.1.4.2.zip); .zip, .tar.gz or .nupkg. Id and version come from the file " +
                         "name or packageId and version; the same version again is 409 unless replace=true");

        packages.MapGet("/", async Task<IResult> (string? search, int? take, PackageService service, CancellationToken ct) =>
                Paging.Problem(take, PackageService.MaxListPage) ?? TypedResults.Ok(await service.ListAsync(search, take ?? PackageService.DefaultListPage, ct)))
            .RequireAuthorization(Policies.View)
            .Produces<List<PackageSummary>>()
            .ProducesValidationProblem()
            .WithSummary("Packages by id, each with its latest version (SemVer) and number of versions; search matches ids");

        packages.MapGet("/{packageId}", async Task<IResult> (string packageId, PackageService service, CancellationToken ct) =>
                await service.VersionsAsync(packageId, ct) is { } versions
                    ? TypedResults.Ok(versions)
                    : SaveResult.NotFound($"There is no package {packageId} in the repository.").ToProblem())
            .RequireAuthorization(Policies.View)
            .Produces<List<PackageVersionSummary>>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Every version of a package, newest first, with its SHA-256 and size");

        packages.MapGet("/{packageId}/{version}", async Task<IResult> (string packageId, string version, PackageService service, CancellationToken ct) =>
                await service.GetAsync(packageId, version, ct) is { } package ? TypedResults.Ok(package) : PackageService.NotFound(packageId, version).ToProblem())
            .RequireAuthorization(Policies.View)
            .Produces<PackageVersionSummary>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("One version of a package");

        packages.MapGet("/{packageId}/{version}/download", DownloadAsync)
            .RequireAuthorization(Policies.View)
            .Produces(StatusCodes.Status200OK, contentType: "application/octet-stream")
            .Produces(StatusCodes.Status206PartialContent, contentType: "application/octet-stream")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status416RangeNotSatisfiable)
            .WithSummary("The package file, its SHA-256 in X-Checksum-Sha256 and as the ETag; Range requests resume a cut download");

        packages.MapDelete("/{packageId}/{version}", async Task<IResult> (string packageId, string version, PackageService service, CancellationToken ct) =>
                await service.DeleteAsync(packageId, version, ct) is { Succeeded: false } refused ? refused.ToProblem() : TypedResults.NoContent())
            .RequireAuthorization(Policies.EditProjects)
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Deletes a version of a package and its file");
        return api;
    }

    private static async Task<IResult> UploadAsync(HttpRequest request, string? fileName, string? packageId, string? version, bool? replace,
        PackageService service, IOptions<PackageOptions> options, CancellationToken ct)
    {
        // Packages are far larger than the API's other bodies.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = options.Value.MaxUploadBytes;
        }
        var content = request.Body;
        if (MediaTypeHeaderValue.TryParse(request.ContentType, out var type) && type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            var boundary = HeaderUtilities.RemoveQuotes(type.Boundary).Value;
            if (string.IsNullOrEmpty(boundary))
            {
                return SaveResult.Invalid("file", "The multipart form has no boundary.").ToProblem();
            }
            var (file, name) = await FirstFileAsync(new MultipartReader(boundary, request.Body), ct);
            if (file is null)
            {
                return SaveResult.Invalid("file", "The multipart form has no file: send it as -F file=@shop.1.4.2.zip.").ToProblem();
            }
            content = file;
            fileName ??= name;
        }
        var (result, package) = await service.UploadAsync(content, new PackageUploadRequest(fileName, packageId, version, replace ?? false), ct);
        return result.Succeeded
            ? TypedResults.Created($"/api/packages/{Uri.EscapeDataString(package!.PackageId)}/{Uri.EscapeDataString(package.Version)}", package)
            : result.ToProblem();
    }

    /// <summary>The first file of a multipart form and its file name.</summary>
    private static async Task<(Stream? File, string? Name)> FirstFileAsync(MultipartReader reader, CancellationToken ct)
    {
        while (await reader.ReadNextSectionAsync(ct) is { } section)
        {
            if (ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) && disposition.IsFileDisposition())
            {
                return (section.Body, HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value);
            }
        }
        return (null, null);
    }

    /// <summary>The file of a package version, with its SHA-256 and ranges: for users here, for agents in the agent protocol.</summary>
    public static async Task<IResult> DownloadAsync(string packageId, string version, HttpResponse response, PackageService service, CancellationToken ct)
    {
        if (await service.FileAsync(packageId, version, ct) is not var (package, path))
        {
            return PackageService.NotFound(packageId, version).ToProblem();
        }
        if (!File.Exists(path))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status500InternalServerError,
                detail: $"{package.PackageId} {package.Version} is in the repository's index but its file is missing from the package store.");
        }
        response.Headers[ChecksumHeader] = package.Sha256;
        return TypedResults.PhysicalFile(path, "application/octet-stream", $"{package.PackageId}.{package.Version}{package.Format.Extension()}",
            package.UploadedAt, new EntityTagHeaderValue($"\"{package.Sha256}\""), enableRangeProcessing: true);
    }
}
