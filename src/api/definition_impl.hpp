#pragma once

#include "guestaddr/guestaddr.hpp"
#include "model/domain.hpp"
#include "xml/document.hpp"

namespace guestaddr {

struct Definition::Impl {
    // Formatting writes the model into the document it came from: a cache
    // of the model's XML form, so it may change under a const Definition.
    mutable xml::Document document;
    model::Domain domain;
};

}  // namespace guestaddr
