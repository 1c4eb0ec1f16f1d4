import Foundation
import JSONSyntax

/// Collects `invalid_input` messages in the API's wording ("target must be a URL address").
struct Validation {
    var errors: [String] = []

    mutating func fail(_ message: String) { errors.append(message) }

    func check() throws {
        if !errors.isEmpty { throw APIError.invalidInput(errors) }
    }

    /// A string field; nil when absent or wrong (and then recorded).
    @discardableResult
    mutating func string(
        _ object: [String: JSON], _ key: String, path: String? = nil, required: Bool = false,
        length: ClosedRange<Int>? = nil, nullable: Bool = false
    ) -> String? {
        let name = path ?? key
        guard let value = object[key] else {
            if required { fail("\(name) should not be null or undefined") }
            return nil
        }
        if value.isNull {
            if !nullable { fail("\(name) should not be equal to null") }
            return nil
        }
        guard case .string(let text) = value else {
            fail("\(name) must be a string")
            return nil
        }
        if let length {
            if text.count < length.lowerBound {
                fail("\(name) must be longer than or equal to \(length.lowerBound) characters")
            }
            if text.count > length.upperBound {
                fail("\(name) must be shorter than or equal to \(length.upperBound) characters")
            }
        }
        return text
    }

    @discardableResult
    mutating func url(
        _ object: [String: JSON], _ key: String, path: String? = nil, required: Bool = false, maxLength: Int? = nil,
        nullable: Bool = false
    ) -> String? {
        let range = maxLength.map { 1...$0 }
        guard let text = string(object, key, path: path, required: required, length: range, nullable: nullable) else {
            return nil
        }
        if !isURL(text) { fail("\(path ?? key) must be a URL address") }
        return text
    }

    @discardableResult
    mutating func oneOf(
        _ object: [String: JSON], _ key: String, path: String? = nil, required: Bool = false, allowed: [String]
    ) -> String? {
        let name = path ?? key
        guard let value = object[key], !value.isNull else {
            if required { fail("\(name) should not be null or undefined") }
            return nil
        }
        guard case .string(let text) = value, allowed.contains(text) else {
            fail("\(name) must be one of the following values: \(allowed.joined(separator: ", "))")
            return nil
        }
        return text
    }

    @discardableResult
    mutating func bool(_ object: [String: JSON], _ key: String, path: String? = nil) -> Bool? {
        guard let value = object[key], !value.isNull else { return nil }
        guard case .bool(let flag) = value else {
            fail("\(path ?? key) must be a boolean value")
            return nil
        }
        return flag
    }

    @discardableResult
    mutating func number(
        _ object: [String: JSON], _ key: String, path: String? = nil, required: Bool = false,
        range: ClosedRange<Double>? = nil
    ) -> Double? {
        let name = path ?? key
        guard let value = object[key], !value.isNull else {
            if required { fail("\(name) should not be null or undefined") }
            return nil
        }
        guard case .number(let number) = value else {
            fail("\(name) must be a number conforming to the specified constraints")
            return nil
        }
        if let range, !range.contains(number) {
            if number < range.lowerBound { fail("\(name) must not be less than \(formatNumber(range.lowerBound))") }
            if number > range.upperBound {
                fail("\(name) must not be greater than \(formatNumber(range.upperBound))")
            }
            // Out of range is recorded and answered by `check()`; the caller never converts such a number.
            return nil
        }
        return number
    }

    /// A whole number within `range`, converted only after the range check (so `1e300` or `-1` is an error, never a
    /// trap); nil when absent or wrong (and then recorded).
    @discardableResult
    mutating func integer(
        _ object: [String: JSON], _ key: String, path: String? = nil, required: Bool = false, range: ClosedRange<Int>
    ) -> Int? {
        let bounds = Double(range.lowerBound)...Double(range.upperBound)
        guard let number = number(object, key, path: path, required: required, range: bounds) else { return nil }
        guard let whole = Int(exactly: number) else {
            fail("\(path ?? key) must be an integer number")
            return nil
        }
        return whole
    }

    @discardableResult
    mutating func object(
        _ object: [String: JSON], _ key: String, path: String? = nil, required: Bool = false, nullable: Bool = false
    ) -> [String: JSON]? {
        let name = path ?? key
        guard let value = object[key] else {
            if required { fail("\(name) should not be null or undefined") }
            return nil
        }
        if value.isNull {
            if required || !nullable { fail("\(name) should not be null or undefined") }
            return nil
        }
        guard case .object(let inner) = value else {
            fail("\(name) must be an object")
            return nil
        }
        return inner
    }

    @discardableResult
    mutating func array(
        _ object: [String: JSON], _ key: String, path: String? = nil, required: Bool = false,
        count: ClosedRange<Int>? = nil, unique: Bool = false, nullable: Bool = false
    ) -> [JSON]? {
        let name = path ?? key
        guard let value = object[key] else {
            if required { fail("\(name) should not be null or undefined") }
            return nil
        }
        if value.isNull {
            if !nullable { fail("\(name) should not be null or undefined") }
            return nil
        }
        guard case .array(let items) = value else {
            fail("\(name) must be an array")
            return nil
        }
        if let count {
            if items.count < count.lowerBound { fail("\(name) must contain at least \(count.lowerBound) elements") }
            if items.count > count.upperBound {
                fail("\(name) must contain no more than \(count.upperBound) elements")
            }
        }
        if unique, Set(items.map { $0.serializedString() }).count != items.count {
            fail("All \(name)'s elements must be unique")
        }
        return items
    }

    /// Each item of a string array must be one of `allowed`.
    mutating func enumArray(_ items: [JSON], path: String, allowed: [String]) {
        for item in items {
            guard case .string(let text) = item, allowed.contains(text) else {
                fail("each value in \(path) must be one of the following values: \(allowed.joined(separator: ", "))")
                return
            }
        }
    }
}

func isURL(_ text: String) -> Bool {
    guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
        scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty
    else { return false }
    return true
}

func isEmail(_ text: String) -> Bool {
    let parts = text.split(separator: "@", omittingEmptySubsequences: false)
    return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !text.contains(" ")
}

func formatNumber(_ value: Double) -> String {
    Int(exactly: value).map(String.init) ?? String(value)
}

func matches(_ text: String, _ pattern: String) -> Bool {
    text.range(of: pattern, options: .regularExpression) != nil
}
