using System.Formats.Tar;
using System.IO.Compression;
using System.Net.Http.Headers;
using System.Text;

namespace AutoDeploy.Tests.Packages;

/// <summary>Real archives, built in memory, for the package repository's tests.</summary>
public static class TestArchives
{
    public static byte[] Zip(params (string Name, string Content)[] files)
    {
        using var memory = new MemoryStream();
        using (var zip = new ZipArchive(memory, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in files)
            {
                using var entry = zip.CreateEntry(name).Open();
                entry.Write(Encoding.UTF8.GetBytes(content));
            }
        }
        return memory.ToArray();
    }

    public static byte[] TarGz(params (string Name, string Content)[] files)
    {
        using var memory = new MemoryStream();
        using (var gzip = new GZipStream(memory, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip))
        {
            foreach (var (name, content) in files)
            {
                tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)) });
            }
        }
        return memory.ToArray();
    }

    /// <summary>A zip whose one file is <paramref name="size"/> bytes of one repeated byte: tiny, and large once expanded.</summary>
    public static byte[] Bomb(long size)
    {
        using var memory = new MemoryStream();
        using (var zip = new ZipArchive(memory, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var entry = zip.CreateEntry("zeros.bin", CompressionLevel.SmallestSize).Open();
            var block = new byte[64 * 1024];
            for (long written = 0; written < size; written += block.Length)
            {
                entry.Write(block, 0, (int)Math.Min(block.Length, size - written));
            }
        }
        return memory.ToArray();
    }

    public static byte[] Cut(byte[] archive) => archive[..(archive.Length / 2)];

    /// <summary>A request body of these bytes, as curl --data-binary sends a file.</summary>
    public static ByteArrayContent Body(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return content;
    }
}
