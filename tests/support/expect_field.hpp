#pragma once
// Bad input must name the field it concerns: `make` throws neurode::invalid_parameter whose
// field() is `field` and whose message mentions it.
#include <gtest/gtest.h>

#include <string>

#include <neurode/sim/errors.hpp>

template <class F>
void expect_field(F&& make, const std::string& field)
{
    try {
        make();
        ADD_FAILURE() << "no invalid_parameter for " << field;
    } catch (const neurode::invalid_parameter& e) {
        EXPECT_EQ(e.field(), field) << e.what();
        EXPECT_NE(std::string(e.what()).find(field), std::string::npos) << e.what();
    }
}
