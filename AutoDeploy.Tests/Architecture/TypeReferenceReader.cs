using System.Collections.Immutable;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace AutoDeploy.Tests.Architecture;

/// <summary>
/// Reads, from a compiled assembly's metadata, which of its own types each type uses: base type, interfaces, generic
/// constraints, field, property, event and method signatures, local variables, caught exceptions, attribute
/// constructors and every type, method or field token in its method bodies' IL. A compiler-generated type (a lambda's
/// closure, an async state machine) counts as part of the type that declares it.
/// </summary>
public sealed class TypeReferenceReader
{
    private readonly PEReader _pe;
    private readonly MetadataReader _reader;
    private readonly OwnTypeSignatures _signatures = new();

    public TypeReferenceReader(PEReader pe)
    {
        _pe = pe;
        _reader = pe.GetMetadataReader();
    }

    /// <summary>Every type defined in the assembly that is not nested, by full name.</summary>
    public IEnumerable<(string Namespace, string Name, TypeDefinitionHandle Handle)> TopLevelTypes() =>
        _reader.TypeDefinitions
            .Select(h => (Handle: h, Type: _reader.GetTypeDefinition(h)))
            .Where(t => !t.Type.IsNested)
            .Select(t => (_reader.GetString(t.Type.Namespace), _reader.GetString(t.Type.Name), t.Handle));

    /// <summary>The outermost type that declares the given one (itself when it is not nested).</summary>
    public TypeDefinitionHandle Outermost(TypeDefinitionHandle handle)
    {
        var type = _reader.GetTypeDefinition(handle);
        return type.IsNested ? Outermost(type.GetDeclaringType()) : handle;
    }

    public string FullName(TypeDefinitionHandle handle)
    {
        var type = _reader.GetTypeDefinition(handle);
        return $"{_reader.GetString(type.Namespace)}.{_reader.GetString(type.Name)}";
    }

    /// <summary>The assembly's own types that the type and the types nested in it use.</summary>
    public IEnumerable<TypeDefinitionHandle> UsedBy(TypeDefinitionHandle handle)
    {
        var type = _reader.GetTypeDefinition(handle);
        var used = new List<TypeDefinitionHandle>();
        used.AddRange(Resolve(type.BaseType));
        foreach (var i in type.GetInterfaceImplementations())
        {
            used.AddRange(Resolve(_reader.GetInterfaceImplementation(i).Interface));
        }
        used.AddRange(Constraints(type.GetGenericParameters()));
        used.AddRange(Attributes(type.GetCustomAttributes()));
        foreach (var f in type.GetFields())
        {
            var field = _reader.GetFieldDefinition(f);
            used.AddRange(field.DecodeSignature(_signatures, null));
            used.AddRange(Attributes(field.GetCustomAttributes()));
        }
        foreach (var p in type.GetProperties())
        {
            var property = _reader.GetPropertyDefinition(p);
            used.AddRange(Method(property.DecodeSignature(_signatures, null)));
            used.AddRange(Attributes(property.GetCustomAttributes()));
        }
        foreach (var e in type.GetEvents())
        {
            used.AddRange(Resolve(_reader.GetEventDefinition(e).Type));
        }
        foreach (var m in type.GetMethods())
        {
            used.AddRange(MethodUses(_reader.GetMethodDefinition(m)));
        }
        foreach (var nested in type.GetNestedTypes())
        {
            used.AddRange(UsedBy(nested));
        }
        return used;
    }

    private IEnumerable<TypeDefinitionHandle> MethodUses(MethodDefinition method)
    {
        var used = new List<TypeDefinitionHandle>();
        used.AddRange(Method(method.DecodeSignature(_signatures, null)));
        used.AddRange(Constraints(method.GetGenericParameters()));
        used.AddRange(Attributes(method.GetCustomAttributes()));
        foreach (var p in method.GetParameters())
        {
            used.AddRange(Attributes(_reader.GetParameter(p).GetCustomAttributes()));
        }
        if (method.RelativeVirtualAddress == 0)
        {
            return used;
        }
        var body = _pe.GetMethodBody(method.RelativeVirtualAddress);
        if (!body.LocalSignature.IsNil)
        {
            used.AddRange(_reader.GetStandaloneSignature(body.LocalSignature).DecodeLocalSignature(_signatures, null).SelectMany(l => l));
        }
        foreach (var region in body.ExceptionRegions)
        {
            used.AddRange(Resolve(region.CatchType));
        }
        used.AddRange(InstructionTokens.Read(body.GetILReader()).SelectMany(Resolve));
        return used;
    }

    /// <summary>The assembly's own types a handle names: a type, a generic instance, a member's declaring type.</summary>
    private IEnumerable<TypeDefinitionHandle> Resolve(EntityHandle handle)
    {
        if (handle.IsNil)
        {
            return [];
        }
        switch (handle.Kind)
        {
            case HandleKind.TypeDefinition:
                return [(TypeDefinitionHandle)handle];
            case HandleKind.TypeSpecification:
                return _reader.GetTypeSpecification((TypeSpecificationHandle)handle).DecodeSignature(_signatures, null);
            case HandleKind.MethodDefinition:
                return [_reader.GetMethodDefinition((MethodDefinitionHandle)handle).GetDeclaringType()];
            case HandleKind.FieldDefinition:
                return [_reader.GetFieldDefinition((FieldDefinitionHandle)handle).GetDeclaringType()];
            case HandleKind.MethodSpecification:
                var specification = _reader.GetMethodSpecification((MethodSpecificationHandle)handle);
                return Resolve(specification.Method).Concat(specification.DecodeSignature(_signatures, null).SelectMany(t => t));
            case HandleKind.MemberReference:
                var member = _reader.GetMemberReference((MemberReferenceHandle)handle);
                var signature = member.GetKind() == MemberReferenceKind.Method
                    ? Method(member.DecodeMethodSignature(_signatures, null))
                    : member.DecodeFieldSignature(_signatures, null);
                return Resolve(member.Parent).Concat(signature);
            default:
                return [];
        }
    }

    private IEnumerable<TypeDefinitionHandle> Attributes(CustomAttributeHandleCollection attributes) =>
        attributes.SelectMany(a => Resolve(_reader.GetCustomAttribute(a).Constructor));

    private IEnumerable<TypeDefinitionHandle> Constraints(GenericParameterHandleCollection parameters) =>
        parameters.SelectMany(p => _reader.GetGenericParameter(p).GetConstraints())
            .SelectMany(c => Resolve(_reader.GetGenericParameterConstraint(c).Type));

    private static IEnumerable<TypeDefinitionHandle> Method(MethodSignature<ImmutableArray<TypeDefinitionHandle>> signature) =>
        OwnTypeSignatures.Of(signature);
}
