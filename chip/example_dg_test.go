package chip_test

import (
	"errors"
	"fmt"
	"os"

	"github.com/cancuoc/sdk/chip"
)

// Decode EF.COM and DG1 of the ICAO 9303-10 worked examples.
func ExampleParseCOM() {
	b, err := os.ReadFile("../testdata/lds/gmrtd_icao9303p10-example_EF.COM")
	if err != nil {
		panic(err)
	}
	com, err := chip.ParseCOM(b)
	if err != nil {
		panic(err)
	}
	fmt.Println("LDS", com.LDSVersion, "data groups", com.DataGroups())
	// Output: LDS 0106 data groups [1 2]
}

// Read the personal data of a CCCD from DG13, and see that printing it
// masks every value.
func ExampleParseDG13() {
	h, err := chip.ParseHolderJSON([]byte(`{"number": "001090012345", "name": "Nguyễn Văn An",
		"birth_date": "1990-03-15", "sex": "M", "expiry_date": null, "mother_name": "Trần Thị Cúc"}`))
	if err != nil {
		panic(err)
	}
	b, err := chip.NewDG13(h, "").Encode()
	if err != nil {
		panic(err)
	}

	dg13, err := chip.ParseDG13(b)
	if err != nil {
		panic(err)
	}
	fmt.Println(dg13.Text(chip.DG13Name), "|", dg13.Text(chip.DG13ExpiryDate))
	parents, _ := dg13.Field(chip.DG13Parents)
	fmt.Printf("father %q, mother %q\n", parents.Parts[0], parents.Parts[1])
	holder, err := dg13.Holder()
	if err != nil {
		panic(err)
	}
	fmt.Println(holder.BirthDate.Format("2006-01-02"), holder.ExpiryDate.IsZero())
	fmt.Println(dg13)
	fmt.Println(holder)
	// Output:
	// Nguyễn Văn An | Không thời hạn
	// father "", mother "Trần Thị Cúc"
	// 1990-03-15 true
	// chip.DG13{fields: 1 2 3 4 12 13, values masked}
	// chip.Holder{Number: "001*******45", personal fields: masked}
}

// Build every file of a synthetic card from holder data; EF.SOD is then
// signed over them (see BuildSOD and package chiptest).
func ExampleBuildDataGroups() {
	h, err := chip.ParseHolderJSON([]byte(`{"number": "079305001234", "name": "Lê Thị Mai",
		"birth_date": "2005-07-01", "sex": "F", "expiry_date": "2030-07-01"}`))
	if err != nil {
		panic(err)
	}
	files, err := chip.BuildDataGroups(h, chip.BuildOptions{FaceSeed: 1})
	if err != nil {
		panic(err)
	}
	dg2, err := chip.ParseDG2(files["DG2"])
	if err != nil {
		panic(err)
	}
	_, imageType, _ := dg2.FaceImage()
	com, _ := chip.ParseCOM(files[chip.FileCOM])
	fmt.Println(com.DataGroups(), imageType)
	dg1, _ := chip.ParseDG1(files["DG1"])
	doc, err := dg1.Document()
	fmt.Println(doc.Layout(), err)
	// Output:
	// [1 2 13] jpeg
	// TD1 <nil>
}

// Read holder data in the JSON schema of ParseHolderJSON; printing the
// value masks it, and a bad field is named in a
// *HolderError that matches ErrHolder and the cause.
func ExampleParseHolderJSON() {
	h, err := chip.ParseHolderJSON([]byte(`{"number": "001090012345", "name": "Nguyễn Văn An",
		"birth_date": "1990-03-15", "sex": "M", "expiry_date": "2030-03-15"}`))
	if err != nil {
		panic(err)
	}
	fmt.Println(h)
	fmt.Println(h.Name, h.BirthDate.Format("2006-01-02"), h.Sex, h.ExpiryDate.Format("2006-01-02"))

	_, err = chip.ParseHolderJSON([]byte(`{"number": "001090012345", "name": "Nguyễn Văn An",
		"birth_date": "15/03/1990", "sex": "M", "expiry_date": null}`))
	var he *chip.HolderError
	fmt.Println(errors.Is(err, chip.ErrHolder), errors.As(err, &he) && he.Field == "birth_date")
	fmt.Println(err)
	// Output:
	// chip.Holder{Number: "001*******45", personal fields: masked}
	// Nguyễn Văn An 1990-03-15 male 2030-03-15
	// true true
	// chip: holder birth_date: must be a date YYYY-MM-DD
}
